package tsl.linker.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.grad.Gradient;
import tsl.ops.T;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Conformance of the cuda linker against the jvm reference: each case compiles the same
 * graph with both and compares the outputs (exactly for integers and bools, to a tolerance
 * for floats). Used by the JUnit test where a GPU is present, and runnable from the jars on
 * a GPU machine: {@code java -cp ... tsl.linker.cuda.CudaSelfCheck}.
 */
public final class CudaSelfCheck {

    /** One graph with its inputs' values. */
    public record Case(List<Variable> inputs, List<Variable> outputs, NDArray[] values, boolean withoutCublas) {
        public Case(List<Variable> inputs, List<Variable> outputs, NDArray[] values) {
            this(inputs, outputs, values, false);
        }
    }

    private CudaSelfCheck() {}

    private static final Random RNG = new Random(42);

    static NDArray random(DType d, double lo, double hi, int... shape) {
        long n = NDArray.sizeOf(shape);
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = d.isFloat() ? lo + (hi - lo) * RNG.nextDouble() : Math.floor(lo + (hi - lo + 1) * RNG.nextDouble());
        }
        return NDArray.fromDoubles(d, shape, v);
    }

    static Variable var(DType d, int ndim, String name) {
        return new Variable(TensorType.ofNdim(d, ndim), name);
    }

    static Case unary(ScalarOp op, DType d, double lo, double hi) {
        Variable x = var(d, 2, "x");
        return new Case(List.of(x), List.of(T.elemwise(op, x)), new NDArray[] {random(d, lo, hi, 33, 17)});
    }

    /** The cases, by name; each builder makes fresh variables. */
    public static Map<String, Supplier<Case>> cases() {
        Map<String, Supplier<Case>> c = new LinkedHashMap<>();
        c.put("fused-chain-f32", () -> {
            Variable x = var(DType.FLOAT32, 2, "x");
            Variable y = var(DType.FLOAT32, 2, "y");
            Variable z = T.add(T.mul(T.exp(x), y), T.tanh(T.sub(x, y)));
            return new Case(List.of(x, y), List.of(z), new NDArray[] {random(DType.FLOAT32, -2, 2, 64, 48), random(DType.FLOAT32, -2, 2, 64, 48)});
        });
        c.put("broadcast-row-col-scalar", () -> {
            Variable x = var(DType.FLOAT64, 2, "x");
            Variable b = var(DType.FLOAT64, 1, "b");
            Variable z = T.add(T.mul(x, 2.5), T.dimshuffle(b, -1, 0));
            Variable w = T.sub(T.dimshuffle(b, 0, -1), x);
            return new Case(List.of(x, b), List.of(z, w), new NDArray[] {random(DType.FLOAT64, -1, 1, 7, 7), random(DType.FLOAT64, -1, 1, 7)});
        });
        c.put("transpose-3d", () -> {
            Variable x = var(DType.FLOAT32, 3, "x");
            Variable y = var(DType.FLOAT32, 3, "y");
            Variable z = T.mul(T.dimshuffle(x, 2, 0, 1), y);
            return new Case(List.of(x, y), List.of(z), new NDArray[] {random(DType.FLOAT32, -1, 1, 4, 5, 6), random(DType.FLOAT32, -1, 1, 6, 4, 5)});
        });
        for (String name : List.of("exp", "log", "sqrt", "tanh", "sigmoid", "softplus", "sin", "cos", "arctan", "erf",
                "gammaln", "psi", "log1p", "expm1", "abs", "sgn", "floor", "ceil", "round_half_to_even", "relu", "neg", "sqr")) {
            ScalarOp op = ScalarOps.get(name);
            c.put("unary-" + name, () -> unary(op, DType.FLOAT64, 0.05, 3));
            c.put("unary-" + name + "-f32", () -> unary(op, DType.FLOAT32, 0.05, 3));
        }
        c.put("binary-float", () -> {
            Variable x = var(DType.FLOAT64, 1, "x");
            Variable y = var(DType.FLOAT64, 1, "y");
            return new Case(List.of(x, y), List.of(T.trueDiv(x, y), T.pow(x, y), T.mod(x, y), T.intDiv(x, y), T.maximum(x, y),
                    T.minimum(x, y), T.lt(x, y), T.eq(x, y), T.clip(x, -0.5, 0.5), T.switchOp(T.gt(x, y), x, y)),
                    new NDArray[] {random(DType.FLOAT64, -3, 3, 101), random(DType.FLOAT64, 0.5, 2, 101)});
        });
        c.put("binary-int", () -> {
            Variable x = var(DType.INT64, 1, "x");
            Variable y = var(DType.INT64, 1, "y");
            return new Case(List.of(x, y), List.of(T.intDiv(x, y), T.mod(x, y), T.mul(x, y), T.pow(x, T.abs(y)), T.and(x, y),
                    T.xor(x, y), T.ge(x, y), T.trueDiv(x, y), T.abs(x), T.maximum(x, y)),
                    new NDArray[] {random(DType.INT64, -20, 20, 64), random(DType.INT64, 1, 5, 64)});
        });
        c.put("casts", () -> {
            Variable x = var(DType.FLOAT64, 1, "x");
            return new Case(List.of(x), List.of(T.cast(x, DType.INT32), T.cast(x, DType.FLOAT32), T.cast(x, DType.BOOL),
                    T.cast(T.cast(x, DType.INT8), DType.FLOAT64)), new NDArray[] {random(DType.FLOAT64, -100, 100, 50)});
        });
        int[][] axes = {null, {0}, {1}, {0, 2}, {2}};
        for (String kind : List.of("sum", "prod", "mean", "max", "min", "all", "any")) {
            for (int[] ax : axes) {
                String name = "reduce-" + kind + "-" + (ax == null ? "all" : java.util.Arrays.toString(ax));
                c.put(name, () -> {
                    Variable x = var(DType.FLOAT64, 3, "x");
                    Variable r = T.reduce(tsl.ops.reduce.Reduce.Kind.valueOf(kind.toUpperCase()), kind.equals("all") || kind.equals("any")
                            ? T.gt(x, 0.3) : x, ax, false);
                    return new Case(List.of(x), List.of(r), new NDArray[] {random(DType.FLOAT64, 0.5, 1.5, 5, 6, 7)});
                });
            }
        }
        c.put("reduce-int-sum-axis1", () -> {
            Variable x = var(DType.INT32, 2, "x");
            return new Case(List.of(x), List.of(T.sum(x, 1), T.max(x, 0)), new NDArray[] {random(DType.INT32, -50, 50, 40, 30)});
        });
        c.put("reduce-long-f32-sum", () -> {
            Variable x = var(DType.FLOAT32, 1, "x");
            return new Case(List.of(x), List.of(T.sum(x), T.max(x), T.mean(x)), new NDArray[] {random(DType.FLOAT32, -1, 1, 1_000_003)});
        });
        c.put("reduce-transposed", () -> {
            Variable x = var(DType.FLOAT32, 2, "x");
            return new Case(List.of(x), List.of(T.sum(T.transpose(x), 1), T.mean(T.transpose(x), 0)),
                    new NDArray[] {random(DType.FLOAT32, -1, 1, 300, 200)});
        });
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            c.put("softmax-" + d, () -> {
                Variable x = var(d, 2, "x");
                return new Case(List.of(x), List.of(T.softmax(x), T.logSoftmax(x)), new NDArray[] {random(d, -30, 30, 37, 300)});
            });
            c.put("dot-" + d, () -> {
                Variable a = var(d, 2, "a");
                Variable b = var(d, 2, "b");
                Variable v = var(d, 1, "v");
                return new Case(List.of(a, b, v), List.of(T.dot(a, b), T.dot(T.transpose(b), T.transpose(a)), T.dot(a, v),
                        T.dot(T.transpose(b), b), T.dot(v, v)),
                        new NDArray[] {random(d, -1, 1, 130, 70), random(d, -1, 1, 70, 150), random(d, -1, 1, 70)});
            });
        }
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            c.put("dot-own-kernel-" + d, () -> {
                Case k = c.get("dot-" + d).get();
                return new Case(k.inputs(), k.outputs(), k.values(), true);
            });
        }
        c.put("host-fallback-join-subtensor", () -> {
            Variable x = var(DType.FLOAT64, 2, "x");
            Variable j = T.concatenate(List.of(T.exp(x), x), 0);
            Variable s = T.subtensor(j, T.slice(1, null, 2));
            return new Case(List.of(x), List.of(T.mul(s, 2), T.sum(j, 1)), new NDArray[] {random(DType.FLOAT64, -1, 1, 6, 5)});
        });
        c.put("reshape-of-transpose", () -> {
            Variable x = var(DType.FLOAT32, 2, "x");
            return new Case(List.of(x), List.of(T.add(T.reshape(T.transpose(x), 6, 4), 1), T.flatten(T.exp(x))),
                    new NDArray[] {random(DType.FLOAT32, -1, 1, 4, 6)});
        });
        c.put("alloc-broadcast-views", () -> {
            Variable x = var(DType.FLOAT32, 2, "x");
            Variable b = var(DType.FLOAT32, 1, "b");
            return new Case(List.of(x, b), List.of(T.add(x, T.alloc(b, 3, 4)), T.zerosLike(x), T.sum(T.onesLike(x), 0)),
                    new NDArray[] {random(DType.FLOAT32, -1, 1, 3, 4), random(DType.FLOAT32, -1, 1, 4)});
        });
        c.put("grad-mlp", () -> {
            Variable x = var(DType.FLOAT64, 2, "x");
            Variable w = var(DType.FLOAT64, 2, "w");
            Variable y = var(DType.FLOAT64, 2, "y");
            Variable p = T.softmax(T.tanh(T.dot(x, w)));
            Variable cost = T.mean(T.sum(T.sqr(T.sub(p, y)), 1));
            Variable g = Gradient.grad(cost, List.of(w), java.util.Set.of(), "raise").get(0);
            return new Case(List.of(x, w, y), List.of(cost, g), new NDArray[] {random(DType.FLOAT64, -1, 1, 20, 8),
                    random(DType.FLOAT64, -1, 1, 8, 5), random(DType.FLOAT64, 0, 1, 20, 5)});
        });
        return c;
    }

    static double[] tolerance(DType d) {
        return d == DType.FLOAT32 ? new double[] {2e-4, 1e-5} : d == DType.FLOAT64 ? new double[] {1e-9, 1e-12} : new double[] {0, 0};
    }

    static Function compile(Case k, String linker) {
        List<In> ins = new ArrayList<>();
        for (Variable v : k.inputs()) {
            ins.add(In.of(v));
        }
        return new FunctionBuilder().inputs(ins).outputs(k.outputs(), false).onUnusedInput("ignore")
                .mode(new Mode(linker, "fast_run")).build();
    }

    /** Runs one case on both linkers; null when they agree, else what differs. */
    public static String check(Case k) {
        NDArray[] want = compile(k, "jvm").call((Object[]) k.values());
        NDArray[] got;
        String before = tsl.compile.Config.get("cuda.cublas");
        if (k.withoutCublas()) {
            tsl.compile.Config.set("cuda.cublas", "False");
        }
        try {
            got = compile(k, "cuda").call((Object[]) k.values());
        } finally {
            tsl.compile.Config.set("cuda.cublas", before == null ? "True" : before);
        }
        for (int i = 0; i < want.length; i++) {
            String d = compare(want[i], got[i]);
            if (d != null) {
                return "output " + i + ": " + d;
            }
        }
        return null;
    }

    static String compare(NDArray want, NDArray got) {
        if (want.dtype() != got.dtype() || !java.util.Arrays.equals(want.shape(), got.shape())) {
            return "expected " + want.dtype() + tsl.tensor.Shapes.format(want.shape()) + ", got " + got.dtype()
                    + tsl.tensor.Shapes.format(got.shape());
        }
        double[] tol = tolerance(want.dtype());
        for (long i = 0; i < want.size(); i++) {
            double a = want.getDouble(i);
            double b = got.getDouble(i);
            boolean same = (Double.isNaN(a) && Double.isNaN(b)) || a == b || Math.abs(a - b) <= tol[1] + tol[0] * Math.abs(a);
            if (!same) {
                return "element " + i + ": expected " + a + ", got " + b;
            }
        }
        return null;
    }

    /** A few SGD steps on a shared weight: the device copy must stay coherent with get_value and set_value. */
    public static String checkSharedUpdates() {
        double[] results = new double[2];
        for (String linker : List.of("jvm", "cuda")) {
            NDArray w0 = NDArray.fromDoubles(DType.FLOAT32, new int[] {3, 2}, new double[] {0.1, -0.2, 0.3, 0.4, -0.5, 0.6});
            SharedVariable w = new SharedVariable(TensorType.ofNdim(DType.FLOAT32, 2), w0.copy(), "w");
            Variable x = var(DType.FLOAT32, 2, "x");
            Variable cost = T.sum(T.sqr(T.dot(x, w)));
            Variable g = Gradient.grad(cost, List.of(w), java.util.Set.of(), "raise").get(0);
            Function step = new FunctionBuilder().inputs(List.of(In.of(x))).outputs(List.of(cost), true)
                    .update(w, T.sub(w, T.mul(T.constant(0.01, DType.FLOAT32), g))).mode(new Mode(linker, "fast_run")).build();
            NDArray xv = NDArray.fromDoubles(DType.FLOAT32, new int[] {2, 3}, new double[] {1, 2, 3, -1, 0.5, 2});
            for (int i = 0; i < 5; i++) {
                step.call(xv);
            }
            double after5 = w.getValue(false).getDouble(0);
            w.setValue(w0.copy(), false); // must invalidate the device copy
            step.call(xv);
            double afterReset = w.getValue(false).getDouble(0);
            results[linker.equals("jvm") ? 0 : 1] = after5 * 1000 + afterReset;
            if (linker.equals("cuda")) {
                double want = results[0];
                if (Math.abs(want - results[1]) > 1e-3 * Math.abs(want) + 1e-4) {
                    return "shared updates: jvm " + want + " vs cuda " + results[1];
                }
            }
        }
        return null;
    }

    public static void main(String[] args) {
        if (!CudaDevice.available()) {
            try {
                CudaDevice.get();
            } catch (TslException e) {
                System.out.println("SKIP: " + e.getMessage());
            }
            System.exit(2);
        }
        CudaDevice dev = CudaDevice.get();
        String blas;
        dev.enter();
        try {
            blas = Cublas.describe();
        } finally {
            dev.exit();
        }
        System.out.println("device: " + dev.name() + " (" + dev.multiprocessors() + " SMs, "
                + dev.totalMemory() / (1 << 20) + " MiB), cuBLAS: " + (blas != null ? blas : "no")
                + ", compiler " + PtxCompiler.compilerName());
        int passed = 0;
        int failed = 0;
        for (Map.Entry<String, Supplier<Case>> e : cases().entrySet()) {
            String result;
            try {
                result = check(e.getValue().get());
            } catch (RuntimeException ex) {
                result = "threw " + ex;
            }
            if (result == null) {
                passed++;
                System.out.println("ok " + e.getKey());
            } else {
                failed++;
                System.out.println("FAIL " + e.getKey() + ": " + result);
            }
        }
        String shared;
        try {
            shared = checkSharedUpdates();
        } catch (RuntimeException ex) {
            shared = "threw " + ex;
        }
        if (shared == null) {
            passed++;
        } else {
            failed++;
            System.out.println("FAIL shared-updates: " + shared);
        }
        System.out.println("selfcheck: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
