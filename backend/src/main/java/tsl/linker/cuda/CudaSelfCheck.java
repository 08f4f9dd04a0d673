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
        // Gemm / Gemv (the optimizer's scaled and accumulated products), with cuBLAS and with the own kernel
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            c.put("gemm-gemv-scaled-" + d, () -> {
                Variable a = var(d, 2, "a");
                Variable b = var(d, 2, "b");
                Variable z = var(d, 2, "z");
                Variable v = var(d, 1, "v");
                Variable y = var(d, 1, "y");
                return new Case(List.of(a, b, z, v, y), List.of(T.add(z, T.mul(T.dot(a, b), 0.5)), T.sub(z, T.mul(T.dot(a, b), 0.25)),
                        T.sub(y, T.mul(T.dot(a, v), 2.0)), T.add(T.dot(T.transpose(a), y), v), T.dot(v, b)),
                        new NDArray[] {random(d, -1, 1, 37, 19), random(d, -1, 1, 19, 23), random(d, -1, 1, 37, 23),
                                random(d, -1, 1, 19), random(d, -1, 1, 37)});
            });
            c.put("gemm-gemv-scaled-own-kernel-" + d, () -> {
                Case k = c.get("gemm-gemv-scaled-" + d).get();
                return new Case(k.inputs(), k.outputs(), k.values(), true);
            });
        }
        // the contiguous kernels: vectorized with a tail loop (odd lengths), plain below one vector
        for (int n : new int[] {1, 3, 5, 1023, 1025, 4099}) {
            c.put("contiguous-add-f32-n" + n, () -> {
                Variable x = var(DType.FLOAT32, 1, "x");
                Variable y = var(DType.FLOAT32, 1, "y");
                return new Case(List.of(x, y), List.of(T.add(x, y), T.mul(T.sigmoid(x), 3.0)),
                        new NDArray[] {random(DType.FLOAT32, -2, 2, n), random(DType.FLOAT32, -2, 2, n)});
            });
        }
        c.put("contiguous-f64-int-bool-n1027", () -> {
            Variable x = var(DType.FLOAT64, 1, "x");
            Variable i = var(DType.INT32, 1, "i");
            return new Case(List.of(x, i), List.of(T.add(x, i), T.gt(x, 0.1), T.mul(i, i), T.cast(x, DType.FLOAT32)),
                    new NDArray[] {random(DType.FLOAT64, -1, 1, 1027), random(DType.INT32, -100, 100, 1027)});
        });
        // several outputs of one fused loop (FusedElemwise), contiguous, broadcast and integer
        c.put("fused-multi-output-f32", () -> {
            Variable x = var(DType.FLOAT32, 2, "x");
            Variable y = var(DType.FLOAT32, 2, "y");
            Variable t = T.tanh(T.add(T.mul(x, y), x));
            return new Case(List.of(x, y), List.of(t, T.mul(T.exp(t), y)),
                    new NDArray[] {random(DType.FLOAT32, -1, 1, 63, 41), random(DType.FLOAT32, -1, 1, 63, 41)});
        });
        c.put("fused-multi-output-f64-odd", () -> {
            Variable x = var(DType.FLOAT64, 1, "x");
            Variable y = var(DType.FLOAT64, 1, "y");
            Variable t = T.sub(T.mul(x, y), T.sqr(y));
            return new Case(List.of(x, y), List.of(t, T.add(T.log1p(T.abs(t)), x), T.gt(t, 0.0)),
                    new NDArray[] {random(DType.FLOAT64, -2, 2, 1001), random(DType.FLOAT64, -2, 2, 1001)});
        });
        c.put("fused-multi-output-broadcast-row", () -> {
            Variable x = var(DType.FLOAT32, 2, "x");
            Variable b = var(DType.FLOAT32, 1, "b");
            Variable t = T.exp(T.add(x, T.dimshuffle(b, -1, 0)));
            return new Case(List.of(x, b), List.of(t, T.mul(t, x)),
                    new NDArray[] {random(DType.FLOAT32, -1, 1, 9, 13), random(DType.FLOAT32, -1, 1, 13)});
        });
        c.put("fused-multi-output-int", () -> {
            Variable x = var(DType.INT64, 1, "x");
            Variable y = var(DType.INT64, 1, "y");
            Variable t = T.add(T.mul(x, y), 3);
            return new Case(List.of(x, y), List.of(t, T.mod(t, y)),
                    new NDArray[] {random(DType.INT64, -50, 50, 77), random(DType.INT64, 1, 9, 77)});
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

    /**
     * Shared values kept on the device across calls: several updates, an update that is also
     * a returned output, a shared value returned as is, a function of another linker reading
     * the value, get_value with and without borrow. Compared with the same calls on the jvm.
     */
    public static String checkDeviceResidentShared() {
        List<List<Double>> seen = new ArrayList<>();
        for (String linker : List.of("jvm", "cuda")) {
            List<Double> log = new ArrayList<>();
            SharedVariable w = new SharedVariable(TensorType.ofNdim(DType.FLOAT32, 1),
                    NDArray.fromDoubles(DType.FLOAT32, new int[] {5}, new double[] {1, 2, 3, 4, 5}), "w");
            SharedVariable b = new SharedVariable(TensorType.ofNdim(DType.FLOAT32, 1),
                    NDArray.fromDoubles(DType.FLOAT32, new int[] {5}, new double[] {0.5, 0.5, 0.5, 0.5, 0.5}), "b");
            Variable x = var(DType.FLOAT32, 1, "x");
            Variable wNext = T.add(T.mul(w, 0.5), x);
            Function step = new FunctionBuilder().inputs(List.of(In.of(x))).outputs(List.of(T.sum(w), wNext, b), false)
                    .update(w, wNext).update(b, T.add(b, T.sum(x))).mode(new Mode(linker, "fast_run")).build();
            Function reader = new FunctionBuilder().inputs(List.of()).outputs(List.of(T.mul(w, b)), false)
                    .mode(new Mode("jvm", "fast_run")).build();
            NDArray xv = NDArray.fromDoubles(DType.FLOAT32, new int[] {5}, new double[] {1, -1, 0.25, 2, 0});
            for (int i = 0; i < 4; i++) {
                NDArray[] r = step.call(xv);
                log.add(r[0].getDouble(0));
                log.add(r[1].getDouble(3));
                log.add(r[2].getDouble(1));
            }
            if (linker.equals("cuda") && !b.isOnDevice()) {
                return "device-resident shared: the update of b did not stay on the device";
            }
            NDArray borrowed = w.getValue(true);
            if (borrowed != w.getValue(true)) {
                return "device-resident shared: get_value(borrow=True) copied the value twice";
            }
            log.add(borrowed.getDouble(4));
            log.add(b.getValue(false).getDouble(2));
            log.add(reader.call()[0].getDouble(1));
            step.call(xv);
            log.add(w.getValue(false).getDouble(0));
            w.setValue(NDArray.fromDoubles(DType.FLOAT32, new int[] {5}, new double[] {9, 9, 9, 9, 9}), false);
            step.call(xv);
            step.call(xv);
            log.add(w.getValue(false).getDouble(1));
            log.add(b.getValue(true).getDouble(0));
            seen.add(log);
        }
        for (int i = 0; i < seen.get(0).size(); i++) {
            double want = seen.get(0).get(i);
            double got = seen.get(1).get(i);
            if (Math.abs(want - got) > 1e-4 * Math.abs(want) + 1e-5) {
                return "device-resident shared: value " + i + ": jvm " + want + ", cuda " + got + " (jvm " + seen.get(0) + ", cuda " + seen.get(1) + ")";
            }
        }
        return null;
    }

    /**
     * The elementwise launcher on device arrays directly: vectorized kernels on odd lengths,
     * and views whose offset breaks 16-byte alignment (which must fall back to the plain
     * contiguous kernel). Each result is compared with the host's sum.
     */
    public static String checkKernelVariants() {
        CudaDevice dev = CudaDevice.get();
        dev.enter();
        try (CudaRun run = new CudaRun(dev)) {
            for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 1023, 1024, 1025, 100_003}) {
                    for (int off : new int[] {0, 1, 2}) {
                        NDArray hx = random(d, -1, 1, n + off);
                        NDArray hy = random(d, -1, 1, n + off);
                        DeviceArray bx = run.upload(hx);
                        DeviceArray by = run.upload(hy);
                        DeviceArray x = new DeviceArray(d, new int[] {n}, new long[] {1}, off, bx.buffer());
                        DeviceArray y = new DeviceArray(d, new int[] {n}, new long[] {1}, off, by.buffer());
                        ElemwiseLauncher l = new ElemwiseLauncher(new tsl.ops.elemwise.Elemwise(ScalarOps.ADD));
                        NDArray got = run.download(l.run(run, new DeviceArray[] {x, y}, d, new int[] {n}));
                        String v = String.valueOf(l.lastChoice());
                        int vec = 16 / d.byteSize();
                        boolean aligned = (off * d.byteSize()) % 16 == 0;
                        String expect = n >= vec && aligned ? "vector" + vec : "contiguous";
                        if (!v.equals(expect)) {
                            return d + " n=" + n + " offset " + off + ": kernel " + v + ", expected " + expect;
                        }
                        for (int i = 0; i < n; i++) {
                            double want = hx.getDouble(i + off) + hy.getDouble(i + off);
                            if (d == DType.FLOAT32) {
                                want = (float) want;
                            }
                            if (got.getDouble(i) != want) {
                                return d + " n=" + n + " offset " + off + " (" + v + "): element " + i + " is " + got.getDouble(i) + ", expected " + want;
                            }
                        }
                    }
                }
            }
        } finally {
            dev.exit();
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
        // every check, by name: null when it passes, else what differed
        Map<String, Supplier<String>> checks = new LinkedHashMap<>();
        for (Map.Entry<String, Supplier<Case>> e : cases().entrySet()) {
            checks.put(e.getKey(), () -> check(e.getValue().get()));
        }
        checks.put("shared-updates", CudaSelfCheck::checkSharedUpdates);
        checks.put("shared-device-resident", CudaSelfCheck::checkDeviceResidentShared);
        checks.put("kernel-variants-offsets", CudaSelfCheck::checkKernelVariants);
        int passed = 0;
        int failed = 0;
        for (Map.Entry<String, Supplier<String>> e : checks.entrySet()) {
            String result;
            try {
                result = e.getValue().get();
            } catch (RuntimeException ex) {
                result = "threw " + ex + " at " + (ex.getStackTrace().length > 0 ? ex.getStackTrace()[0] : "?");
            }
            if (result == null) {
                passed++;
                System.out.println("ok " + e.getKey());
            } else {
                failed++;
                System.out.println("FAIL " + e.getKey() + ": " + result);
            }
        }
        System.out.println("selfcheck: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
