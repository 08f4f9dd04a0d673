// The backend-only half of the native benchmarks (no language, no Truffle): the same three
// pieces of work as bench.tsl, built with the Java API, on the jvm and native linkers in one
// JVM. Run: bench/native/java-bench.sh [n] [gemm_n]
import java.util.ArrayList;
import java.util.List;

import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.elemwise.ScalarOp;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

public class NativeBench {
    static Function compile(String linker, List<Variable> in, Variable out) {
        List<In> ins = new ArrayList<>();
        for (Variable v : in) {
            ins.add(In.of(v));
        }
        return new FunctionBuilder().inputs(ins).outputs(List.of(out), true).mode(new Mode(linker, "fast_run")).build();
    }

    static double best(Function f, int reps, Object... args) {
        f.call(args);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            f.call(args);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    static NDArray random(DType dt, int... shape) {
        java.util.Random r = new java.util.Random(1);
        NDArray a = NDArray.zeros(dt, shape);
        for (long i = 0; i < a.size(); i++) {
            a.setDouble(i, r.nextDouble());
        }
        return a;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        List<String> linkers = args.length > 2 ? List.of(args[2].split(",")) : List.of("c");
        for (String linker : linkers) {
            for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                Variable x = new Variable(TensorType.ofNdim(dt, 1), "x");
                Variable w = new Variable(TensorType.ofNdim(dt, 0), "w");
                Variable b = new Variable(TensorType.ofNdim(dt, 0), "b");
                Variable chain = T.add(T.mul(T.trueDiv(T.constant(1), T.add(T.constant(1), T.exp(T.neg(T.add(T.mul(x, w), b))))), x),
                        T.log1p(T.mul(x, x)));
                Function f = compile(linker, List.of(x, w, b), chain);
                System.out.printf("%s chain_%s %.6f%n", linker, dt, best(f, linker.equals("jvm") ? 1 : 5, random(dt, n),
                        NDArray.scalar(0.5, dt), NDArray.scalar(0.25, dt)));
                // the same chain as one scalar op, as the optimizer's elemwise fusion will build it (a Composite)
                ScalarOp fused = new ScalarOp("chain", 3, ScalarOp.OutputRule.UPCAST,
                        v -> 1 / (1 + Math.exp(-(v[0] * v[1] + v[2]))) * v[0] + Math.log1p(v[0] * v[0]), null,
                        a -> "(1 / (1 + exp(-(" + a[0] + " * " + a[1] + " + " + a[2] + "))) * " + a[0] + " + log1p(" + a[0] + " * " + a[0] + "))",
                        (xs, z, gz) -> { throw new UnsupportedOperationException(); });
                Function ff = compile(linker, List.of(x, w, b), T.elemwise(fused, x, w, b));
                System.out.printf("%s chain_fused_%s %.6f%n", linker, dt, best(ff, linker.equals("jvm") ? 1 : 5, random(dt, n),
                        NDArray.scalar(0.5, dt), NDArray.scalar(0.25, dt)));
            }
            Variable a = new Variable(TensorType.ofNdim(DType.FLOAT64, 2), "a");
            Variable c = new Variable(TensorType.ofNdim(DType.FLOAT64, 2), "c");
            int gm = linker.equals("jvm") ? Math.min(m, 256) : m;
            System.out.printf("%s dgemm_%d %.6f%n", linker, gm, best(compile(linker, List.of(a, c), T.dot(a, c)), 5,
                    random(DType.FLOAT64, gm, gm), random(DType.FLOAT64, gm, gm)));
            Variable p = new Variable(TensorType.ofNdim(DType.FLOAT64, 0), "p");
            Variable q = new Variable(TensorType.ofNdim(DType.FLOAT64, 0), "q");
            Function h = compile(linker, List.of(p, q), T.add(p, q));
            NDArray pv = NDArray.scalar(1.0, DType.FLOAT64);
            NDArray qv = NDArray.scalar(2.0, DType.FLOAT64);
            int calls = 200_000;
            for (int i = 0; i < calls; i++) {
                h.call(pv, qv);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                h.call(pv, qv);
            }
            System.out.printf("%s scalar_call %.9f%n", linker, (System.nanoTime() - t0) / 1e9 / calls);
        }
    }
}
