// The per-call overhead of a compiled function from the Java API (issue 8, target 5: under
// 0.3 us per call of function([a, b], a + b) on scalars). Times the same function called with
// 0-d NDArrays and with Java doubles, on one thread and on several at once.
// Run: bench/callpath/call-bench.sh [linker] [threads]
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

public class CallBench {
    static final int CALLS = 1_000_000;
    static volatile Object sink;

    interface Call { void run(); }

    static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Median of 7 rounds of CALLS calls after 3 rounds of warm-up: wall ns per call and this
     * thread's CPU ns per call (the machine is shared: wall time includes waiting for a core).
     */
    static String nsPerCall(Call c) {
        double[] t = new double[7];
        double[] cpu = new double[7];
        for (int r = -3; r < t.length; r++) {
            long t0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < CALLS; i++) {
                c.run();
            }
            if (r >= 0) {
                cpu[r] = (CPU.getCurrentThreadCpuTime() - c0) / (double) CALLS;
                t[r] = (System.nanoTime() - t0) / (double) CALLS;
            }
        }
        Arrays.sort(t);
        Arrays.sort(cpu);
        return String.format("%.1f ns wall, %.1f ns cpu (min %.1f)", t[t.length / 2], cpu[cpu.length / 2], cpu[0]);
    }

    public static void main(String[] args) throws Exception {
        String linker = args.length > 0 ? args[0] : "c";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Variable p = new Variable(TensorType.ofNdim(DType.FLOAT64, 0), "p");
        Variable q = new Variable(TensorType.ofNdim(DType.FLOAT64, 0), "q");
        Function h = new FunctionBuilder().inputs(List.of(In.of(p), In.of(q))).outputs(List.of(T.add(p, q)), true)
                .mode(new Mode(linker, "fast_run")).build();
        NDArray pv = NDArray.scalar(1.0, DType.FLOAT64);
        NDArray qv = NDArray.scalar(2.0, DType.FLOAT64);
        if (h.call(pv, qv)[0].getDouble(0) != 3.0 || h.call(1.0, 2.0)[0].getDouble(0) != 3.0) {
            throw new AssertionError("wrong result");
        }
        System.out.printf("%s scalar_call_ndarray %s%n", linker, nsPerCall(() -> sink = h.call(pv, qv)));
        System.out.printf("%s scalar_call_double %s%n", linker, nsPerCall(() -> sink = h.call(1.0, 2.0)));
        if (threads > 1) {
            List<Thread> ts = new ArrayList<>();
            String[] per = new String[threads];
            for (int k = 0; k < threads; k++) {
                int kk = k;
                ts.add(Thread.ofPlatform().start(() -> per[kk] = nsPerCall(() -> sink = h.call(pv, qv))));
            }
            for (Thread t : ts) {
                t.join();
            }
            System.out.printf("%s scalar_call_ndarray_%dthreads %s (per thread)%n", linker, threads, Arrays.toString(per));
        }
    }
}
