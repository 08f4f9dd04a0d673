// The TSL half of bench/scan/compare.py, through the backend's Java API (no language, no
// Truffle, so the time is the compiled function's, not an interpreter's): prints
// "linker name seconds" lines. Run: bench/scan/java-bench.sh [linkers] [reps]
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.grad.Gradient;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.control.ScanBuilder;
import tsl.ops.control.ScanBuilder.OutputInfo;
import tsl.ops.control.ScanBuilder.Sequence;
import tsl.ops.control.ScanBuilder.Step;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

public class ScanBench {
    static final int COEFFS = 1000, HIDDEN = 128, INPUT = 64, STEPS = 200;

    static Function compile(String linker, List<Variable> in, List<Variable> out) {
        List<In> ins = new ArrayList<>();
        for (Variable v : in) {
            ins.add(In.of(v));
        }
        return new FunctionBuilder().inputs(ins).outputs(out, false).mode(new Mode(linker, "fast_run")).build();
    }

    /**
     * Best wall time of one call over {@code reps} calls, after a warm-up of at least as many
     * calls and 3 s (the JIT compiles the call path after some 10,000 calls: fewer measures the
     * interpreter, not the function).
     */
    static double best(Function f, int reps, Object... args) {
        long until = System.nanoTime() + 3_000_000_000L;
        for (int i = 0; i < reps || (System.nanoTime() < until && i < 50_000); i++) {
            f.call(args);
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            f.call(args);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    static NDArray random(double scale, long seed, int... shape) {
        java.util.Random r = new java.util.Random(seed);
        NDArray a = NDArray.zeros(DType.FLOAT64, shape);
        for (long i = 0; i < a.size(); i++) {
            a.setDouble(i, scale * (2 * r.nextDouble() - 1));
        }
        return a;
    }

    static Variable var(String name, int ndim) {
        return new Variable(TensorType.ofNdim(DType.FLOAT64, ndim), name);
    }

    public static void main(String[] args) {
        List<String> linkers = args.length > 0 ? List.of(args[0].split(",")) : List.of("c", "jvm");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        for (String linker : linkers) {
            int r = linker.equals("jvm") ? Math.max(3, reps / 20) : reps;
            // what any call costs: a scalar function with no loop
            Variable y = var("y", 0);
            Function trivial = compile(linker, List.of(y), List.of(T.mul(y, T.constant(2.0, DType.FLOAT64))));
            System.out.printf("%s scalar_call %.9f%n", linker, best(trivial, r, NDArray.scalar(1.5, DType.FLOAT64)));
            // (a) Horner's rule: acc = acc * x + c_t over 1000 coefficients, a scalar state
            Variable c = var("c", 1);
            Variable x = var("x", 0);
            Variable acc = ScanBuilder.scan(a -> new Step(List.of(T.add(T.mul(a.get(1), a.get(2)), a.get(0))), Map.of(), null),
                    List.of(new Sequence(c)), List.of(OutputInfo.of(T.constant(0.0, DType.FLOAT64))), List.of(x), null, -1, false,
                    "horner").outputs().get(0);
            Function horner = compile(linker, List.of(c, x), List.of(T.subtensor(acc, -1)));
            NDArray cv = random(1, 1, COEFFS);
            NDArray xv = NDArray.scalar(0.999, DType.FLOAT64);
            System.out.printf("%s horner %.9f %.17g%n", linker, best(horner, r, cv, xv), horner.call(cv, xv)[0].item());
            // the same function on one coefficient: what a call costs apart from the loop
            System.out.printf("%s horner_1 %.9f%n", linker, best(horner, r, random(1, 1, 1), xv));

            // (b) RNN h_t = tanh(W h_{t-1} + U x_t): forward, and forward + gradient of sum(h) wrt W, U, h0
            Variable xs = var("xs", 2);
            Variable w = var("W", 2);
            Variable u = var("U", 2);
            Variable h0 = var("h0", 1);
            Variable hs = ScanBuilder.scan(a -> new Step(List.of(T.tanh(T.add(T.dot(a.get(2), a.get(1)), T.dot(a.get(3), a.get(0))))),
                    Map.of(), null), List.of(new Sequence(xs)), List.of(OutputInfo.of(h0)), List.of(w, u), null, -1, false, "rnn")
                    .outputs().get(0);
            Variable cost = T.sum(hs);
            NDArray xsv = random(1, 2, STEPS, INPUT);
            NDArray wv = random(1.0 / Math.sqrt(HIDDEN), 3, HIDDEN, HIDDEN);
            NDArray uv = random(1.0 / Math.sqrt(INPUT), 4, HIDDEN, INPUT);
            NDArray h0v = random(1, 5, HIDDEN);
            Function fwd = compile(linker, List.of(xs, w, u, h0), List.of(cost));
            int rr = Math.max(5, r / 4);
            System.out.printf("%s rnn_forward %.9f %.17g%n", linker, best(fwd, rr, xsv, wv, uv, h0v), fwd.call(xsv, wv, uv, h0v)[0].item());
            List<Variable> outs = new ArrayList<>(List.of(cost));
            outs.addAll(Gradient.grad(cost, List.of(w, u, h0), null, "raise"));
            Function both = compile(linker, List.of(xs, w, u, h0), outs);
            NDArray[] g = both.call(xsv, wv, uv, h0v);
            System.out.printf("%s rnn_forward_grad %.9f %.17g %.17g %.17g%n", linker, best(both, rr, xsv, wv, uv, h0v),
                    g[1].getDouble(0), g[2].getDouble(0), g[3].getDouble(0));
        }
    }
}
