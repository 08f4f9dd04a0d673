import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import tsl.grad.Gradient;
import tsl.graph.FunctionGraph;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.rewrite.Optimizer;
import tsl.rewrite.RewriteDB;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * How long the fast_run optimizer takes on a deep MLP with its gradient and SGD updates:
 * h = tanh(h·W_i + b_i) for L layers, cost = mean((h - y)²), outputs cost and
 * W_i - 0.01·∂cost/∂W_i, b_i - 0.01·∂cost/∂b_i. Prints nodes before/after and the median
 * rewrite time over several runs (each on a fresh copy of the graph).
 * Usage: RewriteBench [layers...]   (default: 100 and 700, the latter over 10,000 nodes)
 */
public final class RewriteBench {
    public static void main(String[] args) {
        int[] layers = args.length == 0 ? new int[] {100, 700} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int l : layers) {
            run(l);
        }
    }

    static void run(int layers) {
        Variable x = new Variable(TensorType.ofNdim(DType.FLOAT64, 2), "x");
        Variable y = new Variable(TensorType.ofNdim(DType.FLOAT64, 2), "y");
        List<SharedVariable> params = new ArrayList<>();
        Variable h = x;
        for (int i = 0; i < layers; i++) {
            SharedVariable w = new SharedVariable(TensorType.ofNdim(DType.FLOAT64, 2), NDArray.zeros(DType.FLOAT64, 16, 16), "W" + i);
            SharedVariable b = new SharedVariable(TensorType.ofNdim(DType.FLOAT64, 1), NDArray.zeros(DType.FLOAT64, 16), "b" + i);
            params.add(w);
            params.add(b);
            h = T.tanh(T.add(T.dot(h, w), b));
        }
        Variable cost = T.mean(T.sqr(T.sub(h, y)));
        List<Variable> grads = Gradient.grad(cost, new ArrayList<>(params), java.util.Set.of(), "raise");
        List<Variable> outs = new ArrayList<>();
        outs.add(cost);
        for (int i = 0; i < params.size(); i++) {
            outs.add(T.sub(params.get(i), T.mul(0.01, grads.get(i))));
        }
        Optimizer opt = RewriteDB.defaultDB().query("fast_run", java.util.Set.of(), java.util.Set.of());
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] times = new long[7];
        long[] cpu = new long[times.length];
        int before = 0;
        int after = 0;
        for (int r = 0; r < times.length; r++) {
            FunctionGraph g = FunctionGraph.clone(List.of(x, y), outs, Map.of());
            before = g.size();
            long t0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            opt.optimize(g);
            times[r] = System.nanoTime() - t0;
            cpu[r] = mx.getCurrentThreadCpuTime() - c0;
            after = g.size();
        }
        long first = times[0];
        Arrays.sort(times);
        Arrays.sort(cpu);
        // CPU time is reported too: on a shared, loaded machine wall time mostly measures the queue
        System.out.printf("MLP %d layers + gradient: %d nodes -> %d after fast_run; rewrite wall median %.1f ms (min %.1f, first run %.1f);"
                        + " CPU median %.1f ms (min %.1f); %d runs%n", layers, before, after, times[times.length / 2] / 1e6, times[0] / 1e6,
                first / 1e6, cpu[cpu.length / 2] / 1e6, cpu[0] / 1e6, times.length);
    }
}
