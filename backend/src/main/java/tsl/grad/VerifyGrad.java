package tsl.grad;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * theano.gradient.verify_grad: checks the symbolic gradient of {@code fn} against central finite
 * differences at given points. The output is projected on a random tensor (uniform in
 * [0.5, 1.5), drawn anew for each test) so that one scalar cost checks every output element;
 * the cost is summed in float64 so that only the function under test rounds. Tolerances and
 * step sizes are Theano's, by the widest dtype of the points.
 */
public final class VerifyGrad {
    private VerifyGrad() {}

    /** Uniform [0, 1) numbers of a shape (numpy's rng.rand). */
    @FunctionalInterface
    public interface Projection {
        NDArray rand(int[] shape);
    }

    public static final class Options {
        int nTests = 2;
        Projection rng;
        Double eps;
        Double absTol;
        Double relTol;

        public Options nTests(int n) { nTests = n; return this; }
        public Options rng(Projection r) { rng = r; return this; }
        public Options rng(Random r) { rng = shape -> uniform(r, shape); return this; }
        public Options eps(Double e) { eps = e; return this; }
        public Options absTol(Double t) { absTol = t; return this; }
        public Options relTol(Double t) { relTol = t; return this; }
    }

    /** Theano's step per dtype (numeric_grad.type_eps). */
    static double defaultEps(DType d) {
        return switch (d) {
            case FLOAT64 -> 1e-7;
            case FLOAT32 -> 3e-4;
            default -> 1e-1;
        };
    }

    /** Theano's tolerance per dtype (gradient._type_tol), used for both the absolute and the relative error. */
    static double defaultTol(DType d) {
        return switch (d) {
            case FLOAT64 -> 1e-4;
            case FLOAT32 -> 1e-2;
            default -> 5e-2;
        };
    }

    /** Throws {@code GradientError} when the gradients differ beyond both tolerances at some element. */
    public static void verifyGrad(Function<Variable[], Variable> fn, NDArray[] points, Options o) {
        if (points.length == 0) {
            throw TslException.valueError("verify_grad: type of function argument is not a list or tuple of points");
        }
        Variable[] ins = new Variable[points.length];
        double eps = 0;
        double tol = 0;
        for (int i = 0; i < points.length; i++) {
            NDArray p = points[i];
            if (!p.dtype().isFloat()) {
                throw TslException.typeError("verify_grad can work only with floating point inputs, but input " + i
                        + " has dtype " + p.dtype());
            }
            int[] shape = p.shape();
            for (int d = 0; d < shape.length; d++) {
                shape[d] = shape[d] == 1 ? 1 : TensorType.UNKNOWN;
            }
            ins[i] = new Variable(new TensorType(p.dtype(), shape), "input " + i);
            eps = Math.max(eps, defaultEps(p.dtype()));
            tol = Math.max(tol, defaultTol(p.dtype()));
        }
        eps = o.eps != null ? o.eps : eps;
        double absTol = o.absTol != null ? o.absTol : tol;
        double relTol = o.relTol != null ? o.relTol : tol;
        Projection rng = o.rng != null ? o.rng : new Options().rng(new Random(0x5eed)).rng;

        Variable out = fn.apply(ins.clone());
        List<In> inList = new ArrayList<>();
        for (Variable v : ins) {
            inList.add(In.of(v));
        }
        NDArray probe = new FunctionBuilder().inputs(inList).outputs(List.of(out), false).onUnusedInput("ignore").build()
                .call((Object[]) points)[0];
        SharedVariable projection = new SharedVariable(TensorType.ofNdim(DType.FLOAT64, probe.ndim()),
                nextProjection(rng, probe.shape()), "random_projection");
        Variable cost = T.sum(T.mul(T.cast(out, DType.FLOAT64), projection));
        tsl.compile.Function costFn = new FunctionBuilder().inputs(inList).outputs(List.of(cost), false)
                .onUnusedInput("ignore").build();
        List<Variable> grads = Gradient.grad(cost, List.of(ins), new Gradient.Options().disconnectedInputs("ignore"));
        tsl.compile.Function gradFn = new FunctionBuilder().inputs(inList).outputs(grads, false).onUnusedInput("ignore").build();
        for (int test = 0; test < o.nTests; test++) {
            if (test > 0) {
                projection.setValue(nextProjection(rng, probe.shape()), true);
            }
            NDArray[] analytic = gradFn.call((Object[]) points);
            for (int i = 0; i < points.length; i++) {
                compare(i, points, analytic[i], costFn, eps, absTol, relTol);
            }
        }
    }

    private static NDArray nextProjection(Projection rng, int[] shape) {
        NDArray r = rng.rand(shape).astype(DType.FLOAT64);
        if (!java.util.Arrays.equals(r.shape(), shape)) {
            throw TslException.valueError("verify_grad: rng.rand gave shape " + Shapes.format(r.shape()) + ", expected "
                    + Shapes.format(shape));
        }
        NDArray p = r.copy();
        for (long k = 0; k < p.size(); k++) {
            p.setDouble(k, p.getDouble(k) + 0.5);
        }
        return p;
    }

    private static NDArray uniform(Random r, int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble();
        }
        return NDArray.fromDoubles(DType.FLOAT64, shape, v);
    }

    private static void compare(int which, NDArray[] points, NDArray analytic, tsl.compile.Function costFn, double eps,
                                double absTol, double relTol) {
        NDArray point = points[which];
        NDArray[] p = points.clone();
        for (long k = 0; k < point.size(); k++) {
            double x = point.getDouble(k);
            NDArray plus = point.copy();
            plus.setDouble(k, x + eps);
            NDArray minus = point.copy();
            minus.setDouble(k, x - eps);
            double h = plus.getDouble(k) - minus.getDouble(k); // the step the dtype could represent
            p[which] = plus;
            double fp = costFn.call((Object[]) p)[0].item();
            p[which] = minus;
            double fm = costFn.call((Object[]) p)[0].item();
            double numeric = (fp - fm) / h;
            double sym = analytic.getDouble(k);
            double absErr = Math.abs(numeric - sym);
            double relErr = absErr / Math.max(Math.abs(numeric) + Math.abs(sym), 1e-8);
            if (!(absErr <= absTol || relErr <= relTol)) {
                throw new TslException("GradientError", "GradientError: numeric gradient and analytic gradient exceed tolerance:\n"
                        + "        At position " + k + " of argument " + which + " with shape " + Shapes.format(point.shape()) + ",\n"
                        + "            val1 = " + numeric + "      ,  val2 = " + sym + "\n"
                        + "            abs. error = " + absErr + ",  abs. tolerance = " + absTol + "\n"
                        + "            rel. error = " + relErr + ",  rel. tolerance = " + relTol);
            }
        }
    }
}
