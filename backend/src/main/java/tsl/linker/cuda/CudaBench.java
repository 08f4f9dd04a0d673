package tsl.linker.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.Mode;
import tsl.grad.Gradient;
import tsl.graph.Apply;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.blas.Dot;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * GPU measurements for bench/gpu/check.sh, one "key: value" line each: elementwise bandwidth
 * on 10^8 float32 (one kernel, inputs already on the device), the same work through a
 * compiled function, the matrix product kernel at 8192², and an MLP training step whose
 * weights and data are shared variables (so they stay on the device).
 */
public final class CudaBench {
    private CudaBench() {}

    private static void line(String key, String fmt, Object... args) {
        System.out.println(key + ": " + String.format(Locale.ROOT, fmt, args));
    }

    private static NDArray filled(int... shape) {
        NDArray a = NDArray.zeros(DType.FLOAT32, shape);
        long n = a.size();
        for (long i = 0; i < n; i++) {
            a.setDouble(i, ((i * 2654435761L) % 1000) / 1000.0 - 0.5);
        }
        return a;
    }

    /** Seconds per call of {@code body}, the median of {@code reps} after {@code warm} untimed calls. */
    private static double time(int warm, int reps, Runnable body) {
        for (int i = 0; i < warm; i++) {
            body.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        java.util.Arrays.sort(t);
        return t[reps / 2];
    }

    static void elementwise(CudaDevice dev, int n) {
        NDArray hx = filled(n);
        NDArray hy = filled(n);
        dev.enter();
        try (CudaRun inputs = new CudaRun(dev)) {
            DeviceArray x = inputs.upload(hx);
            DeviceArray y = inputs.upload(hy);
            for (String name : List.of("add", "sigmoid")) {
                Elemwise op = new Elemwise(ScalarOps.get(name));
                ElemwiseLauncher l = new ElemwiseLauncher(op);
                DeviceArray[] args = op.scalar().nin() == 2 ? new DeviceArray[] {x, y} : new DeviceArray[] {x};
                double s = time(2, 9, () -> {
                    try (CudaRun r = new CudaRun(dev)) {
                        l.run(r, args, DType.FLOAT32, new int[] {n});
                        dev.synchronize();
                    }
                });
                long bytes = 4L * n * (args.length + 1);
                line("elemwise_" + name + "_1e8_f32_kernel", "%.3f ms, %.1f GB/s (kernel %s, block %d, grid %s)",
                        s * 1e3, bytes / s / 1e9, l.lastChoice(), ElemwiseLauncher.block,
                        ElemwiseLauncher.waves == 0 ? "one thread per vector" : "capped at " + ElemwiseLauncher.waves + " waves");
            }
            // the grid shape, for tuning the defaults: block size x waves of resident blocks (0: one thread per vector)
            Elemwise add = new Elemwise(ScalarOps.ADD);
            ElemwiseLauncher l = new ElemwiseLauncher(add);
            int block0 = ElemwiseLauncher.block;
            int waves0 = ElemwiseLauncher.waves;
            StringBuilder grid = new StringBuilder();
            try {
                for (int block : new int[] {128, 256, 512}) {
                    for (int waves : new int[] {1, 2, 4, 8, 0}) {
                        ElemwiseLauncher.block = block;
                        ElemwiseLauncher.waves = waves;
                        double s = time(1, 7, () -> {
                            try (CudaRun r = new CudaRun(dev)) {
                                l.run(r, new DeviceArray[] {x, y}, DType.FLOAT32, new int[] {n});
                                dev.synchronize();
                            }
                        });
                        grid.append(String.format(Locale.ROOT, " %dx%s=%.0f", block, waves == 0 ? "all" : waves + "w", 12.0 * n / s / 1e9));
                    }
                }
            } finally {
                ElemwiseLauncher.block = block0;
                ElemwiseLauncher.waves = waves0;
            }
            line("elemwise_add_grid_shapes_gbps", "%s (block x waves: GB/s, kernel %s)", grid.toString().trim(), l.lastChoice());
        } finally {
            dev.exit();
        }
    }

    /** The unfused expression through a function: shared inputs (resident), a scalar result. */
    static void elementwiseFunction(int n) {
        SharedVariable x = new SharedVariable(TensorType.ofNdim(DType.FLOAT32, 1), filled(n), "x");
        SharedVariable y = new SharedVariable(TensorType.ofNdim(DType.FLOAT32, 1), filled(n), "y");
        Variable z = T.sum(T.add(T.mul(T.exp(x), y), T.tanh(T.sub(x, y))));
        Function f = new FunctionBuilder().inputs(List.of()).outputs(List.of(z), true).mode(new Mode("cuda", "fast_run")).build();
        double s = time(2, 7, f::call);
        line("graph_sum_exp_mul_tanh_1e8_f32_function", "%.3f ms per call (%.1f GB/s counting only x, y read once)",
                s * 1e3, 8.0 * n / s / 1e9);
    }

    static void gemm(CudaDevice dev, int n) {
        Variable va = new Variable(TensorType.ofNdim(DType.FLOAT32, 2), "a");
        Variable vb = new Variable(TensorType.ofNdim(DType.FLOAT32, 2), "b");
        Apply node = new Dot().makeNode(List.of(va, vb));
        DotStep step = new DotStep(node);
        NDArray ha = filled(n, n);
        NDArray hb = filled(n, n);
        dev.enter();
        try (CudaRun inputs = new CudaRun(dev)) {
            CudaValue a = CudaValue.onDevice(inputs.upload(ha));
            CudaValue b = CudaValue.onDevice(inputs.upload(hb));
            for (boolean cublas : Cublas.available() ? new boolean[] {true, false} : new boolean[] {false}) {
                tsl.compile.Config.set("cuda.cublas", cublas ? "True" : "False");
                double s = time(1, 5, () -> {
                    try (CudaRun r = new CudaRun(dev)) {
                        step.run(r, new CudaValue[] {a, b});
                        dev.synchronize();
                    }
                });
                line("sgemm_" + n + "_" + (cublas ? "cublas" : "tsl_kernel"), "%.2f ms, %.2f TFLOP/s",
                        s * 1e3, 2.0 * n * n * (double) n / s / 1e12);
            }
            tsl.compile.Config.set("cuda.cublas", "True");
        } finally {
            dev.exit();
        }
    }

    /** One SGD step of a 2-layer MLP (relu, softmax, cross-entropy) with everything in shared variables. */
    static void mlp(int batch, int in, int hidden, int out) {
        Function step = mlpStep(batch, in, hidden, out, "cuda");
        double first = step.call()[0].item();
        double s = time(2, 10, step::call);
        double last = step.call()[0].item();
        double flops = 2.0 * batch * (in * (double) hidden + hidden * (double) out) * 3;
        line("mlp_step_" + batch + "x" + in + "x" + hidden + "x" + out + "_f32", "%.3f ms per step (%.2f TFLOP/s in the products), cost %.4f -> %.4f",
                s * 1e3, flops / s / 1e12, first, last);
    }

    private static Function mlpStep(int batch, int in, int hidden, int out, String linker) {
        SharedVariable w1 = new SharedVariable(TensorType.ofNdim(DType.FLOAT32, 2), scaled(filled(in, hidden), 0.05), "w1");
        SharedVariable b1 = new SharedVariable(TensorType.ofNdim(DType.FLOAT32, 1), NDArray.zeros(DType.FLOAT32, hidden), "b1");
        SharedVariable w2 = new SharedVariable(TensorType.ofNdim(DType.FLOAT32, 2), scaled(filled(hidden, out), 0.05), "w2");
        SharedVariable b2 = new SharedVariable(TensorType.ofNdim(DType.FLOAT32, 1), NDArray.zeros(DType.FLOAT32, out), "b2");
        SharedVariable x = new SharedVariable(TensorType.ofNdim(DType.FLOAT32, 2), filled(batch, in), "x");
        NDArray labels = NDArray.zeros(DType.FLOAT32, batch, out);
        for (int i = 0; i < batch; i++) {
            labels.setDouble((long) i * out + (i % out), 1);
        }
        SharedVariable y = new SharedVariable(TensorType.ofNdim(DType.FLOAT32, 2), labels, "y");
        Variable h = T.relu(T.add(T.dot(x, w1), b1));
        Variable p = T.softmax(T.add(T.dot(h, w2), b2));
        Variable cost = T.mean(T.neg(T.sum(T.mul(y, T.log(p)), 1)));
        List<SharedVariable> params = List.of(w1, b1, w2, b2);
        List<Variable> grads = Gradient.grad(cost, new ArrayList<>(params), Set.of(), "raise");
        FunctionBuilder fb = new FunctionBuilder().inputs(List.of()).outputs(List.of(cost), true).mode(new Mode(linker, "fast_run"));
        for (int i = 0; i < params.size(); i++) {
            fb.update(params.get(i), T.sub(params.get(i), T.mul(T.constant(0.1, DType.FLOAT32), grads.get(i))));
        }
        return fb.build();
    }

    /**
     * Where each node of the MLP step's optimized graph runs under the cuda linker (compiled
     * with the jvm linker, whose optimizer is the same, so this runs without a GPU too).
     */
    static void mlpPlacement(int batch, int in, int hidden, int out) {
        Function step = mlpStep(batch, in, hidden, out, "jvm");
        java.util.Map<String, Integer> host = new java.util.TreeMap<>();
        int kernels = 0;
        int views = 0;
        for (Apply a : step.graph().toposort()) {
            switch (CudaLinker.placement(a)) {
                case "host" -> host.merge(a.op() + a.inputs().stream().map(v -> v.type().toString()).toList().toString(), 1, Integer::sum);
                case "view" -> views++;
                default -> kernels++;
            }
        }
        line("mlp_step_placement", "%d kernels, %d views, host: %s", kernels, views, host.isEmpty() ? "none" : host);
    }

    private static NDArray scaled(NDArray a, double k) {
        for (long i = 0; i < a.size(); i++) {
            a.setDouble(i, a.getDouble(i) * k);
        }
        return a;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("placement")) {
            mlpPlacement(256, 64, 64, 10); // the graph's shape does not depend on the sizes
            return;
        }
        if (!CudaDevice.available()) {
            try {
                CudaDevice.get();
            } catch (tsl.graph.TslException e) {
                System.out.println("SKIP: " + e.getMessage());
            }
            System.exit(2);
        }
        CudaDevice dev = CudaDevice.get();
        line("device", "%s, %d SMs, %d MiB", dev.name(), dev.multiprocessors(), dev.totalMemory() >> 20);
        line("compiler", "%s", PtxCompiler.compilerName());
        dev.enter();
        try {
            line("cublas", "%s", Cublas.available() ? Cublas.describe() : "not available: TSL's own gemm kernel");
        } finally {
            dev.exit();
        }
        List<Runnable> parts = List.of(
                () -> elementwise(dev, 100_000_000),
                () -> elementwiseFunction(100_000_000),
                () -> gemm(dev, 8192),
                () -> mlpPlacement(4096, 1024, 1024, 10),
                () -> mlp(4096, 1024, 1024, 10));
        for (Runnable r : parts) {
            try {
                r.run();
            } catch (RuntimeException e) {
                line("error", "%s", e.toString().lines().findFirst().orElse(""));
            }
        }
    }
}
