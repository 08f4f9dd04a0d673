// LeNet-sized convolutions, forward and forward + gradient, compiled with fast_run on each
// linker through the backend's Java API; prints "linker dtype case wall-ms cpu-ms" (best call).
// Run: OPENBLAS_NUM_THREADS=1 TSL_FLAGS=openmp=False bench/conv/java-bench.sh [linkers (default c,jvm)] [reps (default 20)]
import java.util.ArrayList;
import java.util.List;

import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.grad.Gradient;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.nnet.Conv;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

public class ConvBench {
    static Function compile(String linker, List<Variable> in, List<Variable> out) {
        List<In> ins = new ArrayList<>();
        for (Variable v : in) {
            ins.add(In.of(v));
        }
        return new FunctionBuilder().inputs(ins).outputs(out, false).mode(new Mode(linker, "fast_run")).build();
    }

    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * "wall cpu": the best wall time and the best CPU time of the calling thread of one call over
     * {@code reps} calls, after {@code reps} warm-up calls. The CPU time is the whole cost only when
     * all the work runs on the calling thread (OPENBLAS_NUM_THREADS=1, TSL_FLAGS=openmp=False):
     * on a shared machine it is the steadier figure.
     */
    static String best(Function f, int reps, Object... args) {
        for (int i = 0; i < reps; i++) {
            f.call(args);
        }
        double wall = Double.MAX_VALUE;
        double cpu = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            f.call(args);
            wall = Math.min(wall, (System.nanoTime() - t0) / 1e6);
            cpu = Math.min(cpu, (THREADS.getCurrentThreadCpuTime() - c0) / 1e6);
        }
        return String.format("%.3f %.3f", wall, cpu);
    }

    static NDArray random(DType dt, double scale, long seed, int... shape) {
        java.util.Random r = new java.util.Random(seed);
        double[] v = new double[(int) NDArray.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * (2 * r.nextDouble() - 1);
        }
        return NDArray.fromDoubles(dt, shape, v);
    }

    static Variable var(DType dt, String name) {
        return new Variable(TensorType.ofNdim(dt, 4), name);
    }

    static List<Variable> withGrads(Variable cost, List<Variable> wrt) {
        List<Variable> out = new ArrayList<>(List.of(cost));
        out.addAll(Gradient.grad(cost, wrt, java.util.Set.of(), "raise"));
        return out;
    }

    public static void main(String[] args) {
        List<String> linkers = args.length > 0 ? List.of(args[0].split(",")) : List.of("c", "jvm");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Variable x = var(dt, "x");
            Variable w1 = var(dt, "w1");
            Variable h = var(dt, "h");
            Variable w2 = var(dt, "w2");
            NDArray xv = random(dt, 1, 1, 64, 1, 28, 28);
            NDArray w1v = random(dt, 0.2, 2, 20, 1, 5, 5);
            NDArray hv = random(dt, 1, 3, 64, 20, 12, 12);
            NDArray w2v = random(dt, 0.05, 4, 50, 20, 5, 5);
            Variable c1 = Conv.conv2d(x, w1);
            Variable c2 = Conv.conv2d(h, w2);
            // the two layers of LeNet with 2x2 max pooling between them
            Variable net = Conv.conv2d(Conv.pool2d(T.tanh(c1), new int[] {2, 2}, true, null, null, "max"), w2);
            for (String linker : linkers) {
                int r = linker.equals("jvm") ? Math.max(2, reps / 4) : reps;
                Function f1 = compile(linker, List.of(x, w1), List.of(c1));
                Function g1 = compile(linker, List.of(x, w1), withGrads(T.sum(T.tanh(c1)), List.of(w1)));
                Function f2 = compile(linker, List.of(h, w2), List.of(c2));
                Function g2 = compile(linker, List.of(h, w2), withGrads(T.sum(T.tanh(c2)), List.of(h, w2)));
                Function gn = compile(linker, List.of(x, w1, w2), withGrads(T.sum(T.tanh(net)), List.of(w1, w2)));
                String d = dt.toString().toLowerCase();
                System.out.printf("%s %s layer1_forward %s%n", linker, d, best(f1, r, xv, w1v));
                System.out.printf("%s %s layer1_forward_grad_w %s%n", linker, d, best(g1, r, xv, w1v));
                System.out.printf("%s %s layer2_forward %s%n", linker, d, best(f2, r, hv, w2v));
                System.out.printf("%s %s layer2_forward_grad_x_w %s%n", linker, d, best(g2, r, hv, w2v));
                System.out.printf("%s %s net_forward_grad_w1_w2 %s%n", linker, d, best(gn, r, xv, w1v, w2v));
            }
        }
    }
}
