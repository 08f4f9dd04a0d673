package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import tsl.graph.Op;
import java.util.stream.Stream;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.nio.file.Files;
import java.net.URISyntaxException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.grad.Gradient;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Helpers for op tests: build inputs, compile and run graphs, compare with NumPy's numbers, check gradients numerically. */
public final class OpTesting {
    private OpTesting() {}

    /** A symbolic input of the given dtype whose every dimension is of unknown length. */
    public static Variable var(DType dtype, int ndim, String name) {
        return new Variable(TensorType.ofNdim(dtype, ndim), name);
    }

    /** A symbolic input with a static shape (1 marks a broadcastable dimension). */
    public static Variable var(DType dtype, int[] shape, String name) {
        return new Variable(new TensorType(dtype, shape), name);
    }

    public static NDArray arr(DType dtype, int[] shape, double... values) {
        return NDArray.fromDoubles(dtype, shape, values);
    }

    public static NDArray vec(DType dtype, double... values) {
        return NDArray.fromDoubles(dtype, new int[] {values.length}, values);
    }

    public static NDArray ivec(long... values) {
        return NDArray.fromLongs(DType.INT64, new int[] {values.length}, values);
    }

    public static int[] shape(int... s) {
        return s;
    }

    public static NDArray[] runAll(List<Variable> inputs, List<Variable> outputs, NDArray... values) {
        List<In> ins = new ArrayList<>();
        for (Variable v : inputs) {
            ins.add(In.of(v));
        }
        tsl.compile.Function f = new FunctionBuilder().inputs(ins).outputs(outputs, false).onUnusedInput("ignore").build();
        return f.call((Object[]) values);
    }

    public static NDArray run(List<Variable> inputs, Variable output, NDArray... values) {
        return runAll(inputs, List.of(output), values)[0];
    }

    public static NDArray run(Variable output) {
        return runAll(List.of(), List.of(output))[0];
    }

    /** Checks dtype, shape and values; {@code rtol} relative plus a tiny absolute tolerance, NaN matches NaN. */
    public static void assertArray(NDArray actual, DType dtype, int[] shape, double[] expected, double rtol) {
        assertEquals(dtype, actual.dtype(), "dtype");
        assertArrayEquals(shape, actual.shape(), () -> "shape " + Arrays.toString(actual.shape()));
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "size");
        for (int i = 0; i < got.length; i++) {
            double e = expected[i];
            double g = got[i];
            if (Double.isNaN(e) ? Double.isNaN(g) : (e == g || Math.abs(g - e) <= rtol * Math.abs(e) + rtol * 1e-3)) {
                continue;
            }
            fail("element " + i + ": expected " + e + " got " + g + " (all: " + Arrays.toString(got) + ")");
        }
    }

    public static void assertArray(NDArray actual, DType dtype, int[] shape, double... expected) {
        assertArray(actual, dtype, shape, expected, dtype == DType.FLOAT32 ? 2e-6 : 1e-12);
    }

    /**
     * Compares the symbolic gradient of {@code sum(f(inputs) * w)} (fixed pseudo-random weights w,
     * so no two outputs cancel) with central finite differences, at the given float64 points.
     */
    public static void checkGrad(Function<Variable[], Variable> f, NDArray... points) {
        checkGrad(f, 1e-5, points);
    }

    public static void checkGrad(Function<Variable[], Variable> f, double tol, NDArray... points) {
        Variable[] ins = new Variable[points.length];
        for (int i = 0; i < points.length; i++) {
            ins[i] = var(DType.FLOAT64, points[i].ndim(), "x" + i);
        }
        Variable out = f.apply(ins);
        NDArray probe = runAll(List.of(ins), List.of(out), points)[0];
        double[] w = new double[(int) probe.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5 + ((i * 7919L) % 13) / 10.0;
        }
        Variable weights = T.constant(NDArray.fromDoubles(DType.FLOAT64, probe.shape(), w));
        Variable cost = T.sum(T.mul(T.cast(out, DType.FLOAT64), weights));
        List<Variable> grads = Gradient.grad(cost, List.of(ins), null, "ignore");
        List<Variable> outs = new ArrayList<>();
        outs.add(cost);
        outs.addAll(grads);
        List<In> inList = new ArrayList<>();
        for (Variable v : ins) {
            inList.add(In.of(v));
        }
        tsl.compile.Function fn = new FunctionBuilder().inputs(inList).outputs(outs, false).onUnusedInput("ignore").build();
        NDArray[] symbolic = fn.call((Object[]) points);
        for (int i = 0; i < points.length; i++) {
            NDArray g = symbolic[i + 1];
            assertArrayEquals(points[i].shape(), g.shape(), "gradient shape of input " + i);
            for (long k = 0; k < points[i].size(); k++) {
                double h = 1e-6 * Math.max(1.0, Math.abs(points[i].getDouble(k)));
                double fp = costAt(fn, points, i, k, h);
                double fm = costAt(fn, points, i, k, -h);
                double numeric = (fp - fm) / (2 * h);
                double sym = g.getDouble(k);
                if (!(Math.abs(numeric - sym) <= tol * (1 + Math.abs(numeric)))) {
                    fail("gradient of input " + i + " element " + k + ": symbolic " + sym + ", numeric " + numeric);
                }
            }
        }
    }

    private static double costAt(tsl.compile.Function fn, NDArray[] points, int which, long k, double delta) {
        NDArray[] p = points.clone();
        p[which] = points[which].copy();
        p[which].setDouble(k, points[which].getDouble(k) + delta);
        return fn.call((Object[]) p)[0].item();
    }

    /** Every concrete Op class compiled under tsl/ops (the censuses of ops that must each have tests). */
    public static List<Class<?>> opClasses() throws IOException, URISyntaxException {
        Path root = Path.of(Op.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("tsl/ops"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String rel = root.relativize(p).toString();
                if (!rel.endsWith(".class") || rel.contains("$")) {
                    continue;
                }
                Class<?> c;
                try {
                    c = Class.forName(rel.replace('/', '.').replace(".class", ""));
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
                if (Op.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
