package tsl.grad;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Every differentiable op has its gradient checked by verify_grad, at several random points, in
 * float64 and float32. The coverage test enumerates the registered scalar ops and every Op
 * class under tsl.ops, so a new op without a gradient check fails the build.
 */
class VerifyGradOpsTest {
    /** Ops with no gradient to check, and why. */
    private static final Map<String, String> NOT_DIFFERENTIABLE = Map.of(
            "Shape", "its output depends only on the input's shape",
            "ReducedCount", "its output depends only on the input's shape",
            "ARange", "integer or shape-only inputs",
            "Eye", "integer inputs",
            "Argmax", "an integer output: piecewise constant",
            "Nonzero", "integer coordinates: piecewise constant",
            "Gemv", "introduced by the optimizer after gradients are taken",
            "Gemm", "introduced by the optimizer after gradients are taken",
            "RandomVariable", "a random draw: no derivative with respect to the stream state or the size",
            "Elemwise", "covered op by op by the scalar:* cases");

    /** More ops without a case (Map.of above is full). */
    private static final Map<String, String> OPTIMIZER_ONLY = Map.of(
            "FusedElemwise", "built by elementwise fusion after gradients are taken",
            "GemvForwardBackward", "built by local_gemv_forward_backward after gradients are taken");

    /** Scalar ops whose gradient is deliberately not the derivative of their value, or is not implemented. */
    private static final Map<String, String> SCALAR_EXCEPTIONS = Map.of(
            "scalar:zero_grad", "gradient replaced by zero on purpose",
            "scalar:grad_clip", "gradient clipped on purpose",
            "scalar:grad_scale", "gradient scaled on purpose",
            "scalar:psi", "gradient (trigamma) not implemented: a NullGradient");

    @Test
    void everyDifferentiableOpHasAVerifyGradCase() throws IOException, URISyntaxException {
        Set<String> missing = new TreeSet<>();
        for (ScalarOp op : ScalarOps.all().values()) {
            String key = "scalar:" + op.name();
            if (hasGradient(op) && !OpGradCases.ALL.containsKey(key) && !SCALAR_EXCEPTIONS.containsKey(key)) {
                missing.add(key);
            }
        }
        List<Class<?>> ops = opClasses();
        assertTrue(ops.size() > 15, "found only " + ops);
        for (Class<?> c : ops) {
            String key = c.getSimpleName();
            if (!OpGradCases.ALL.containsKey(key) && !NOT_DIFFERENTIABLE.containsKey(key) && !OPTIMIZER_ONLY.containsKey(key)) {
                missing.add(key);
            }
        }
        assertTrue(missing.isEmpty(), "differentiable ops without a verify_grad case in OpGradCases: " + missing);
    }

    /** A rule that gives some input a gradient (not null, not a NullGradient). */
    private static boolean hasGradient(ScalarOp op) {
        List<Variable> x = new ArrayList<>();
        for (int i = 0; i < op.nin(); i++) {
            x.add(new Variable(new TensorType(DType.FLOAT64), "x" + i));
        }
        Variable z = new Variable(new TensorType(DType.FLOAT64), "z");
        for (Variable g : op.grad().grad(x, z, new Variable(new TensorType(DType.FLOAT64), "gz"))) {
            if (g != null && !(g instanceof NullGradient)) {
                return true;
            }
        }
        return false;
    }

    /** Every concrete Op class compiled under tsl/ops, plus the loop in tsl.grad. */
    private static List<Class<?>> opClasses() throws IOException, URISyntaxException {
        List<Class<?>> out = new ArrayList<>(tsl.ops.OpTesting.opClasses());
        out.add(IndexMap.class);
        return out;
    }

    @TestFactory
    Stream<DynamicTest> verifyGradOfEachOp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (List<OpGradCases.Case> cases : OpGradCases.ALL.values()) {
            for (OpGradCases.Case c : cases) {
                for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                    tests.add(DynamicTest.dynamicTest(c.key() + " (" + c.label() + ") " + d, () -> check(c, d)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(OpGradCases.Case c, DType dtype) {
        Random rng = new Random(c.label().hashCode() * 31L + dtype.ordinal());
        for (int point = 0; point < 3; point++) {
            NDArray[] pts = new NDArray[c.inputs().size()];
            for (int i = 0; i < pts.length; i++) {
                OpGradCases.In in = c.inputs().get(i);
                int n = 1;
                for (int s : in.shape()) {
                    n *= s;
                }
                double[] v = new double[n];
                for (int k = 0; k < n; k++) {
                    v[k] = in.lo() + (in.hi() - in.lo()) * rng.nextDouble();
                    if (in.signed() && rng.nextBoolean()) {
                        v[k] = -v[k];
                    }
                }
                pts[i] = NDArray.fromDoubles(dtype, in.shape(), v);
            }
            VerifyGrad.verifyGrad(c.fn(), pts, new VerifyGrad.Options().rng(rng));
        }
    }
}
