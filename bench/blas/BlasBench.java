// dot(A, B) of n x n matrices compiled on the jvm linker, with OpenBLAS (the default) and
// with TSL_FLAGS-style blas=False (the Java loop the jvm linker used before), best of a few
// calls. Run: bench/blas/blas-bench.sh [sizes] [dtypes] [loop_max_n]
import java.util.ArrayList;
import java.util.List;

import tsl.compile.Config;
import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

public class BlasBench {
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
        String[] sizes = (args.length > 0 ? args[0] : "512,2048").split(",");
        String[] dtypes = (args.length > 1 ? args[1] : "float64,float32").split(",");
        int loopMax = args.length > 2 ? Integer.parseInt(args[2]) : 2048;
        for (String dn : dtypes) {
            DType dt = DType.lookup(dn);
            for (String s : sizes) {
                int n = Integer.parseInt(s);
                Variable a = new Variable(TensorType.ofNdim(dt, 2), "a");
                Variable b = new Variable(TensorType.ofNdim(dt, 2), "b");
                Function f = new FunctionBuilder().inputs(List.of(In.of(a), In.of(b))).outputs(List.of(T.dot(a, b)), false)
                        .mode(new Mode("jvm", "fast_run")).build();
                NDArray x = random(dt, n, n);
                NDArray y = random(dt, n, n);
                double flop = 2.0 * n * n * n;
                for (String blas : new String[] {"True", "False"}) {
                    if (blas.equals("False") && n > loopMax) {
                        continue;
                    }
                    Config.set("blas", blas);
                    int reps = blas.equals("True") ? (n <= 512 ? 20 : 5) : (n <= 512 ? 3 : 1);
                    double t = best(f, reps, x, y);
                    System.out.printf("jvm %s %s dot %d: %.6f s  %.2f GFLOP/s%n", blas.equals("True") ? "openblas " : "java-loop", dn, n, t,
                            flop / t / 1e9);
                }
                Config.set("blas", "True");
                double direct = Double.MAX_VALUE;
                for (int i = 0; i < (n <= 512 ? 20 : 5); i++) {
                    long t0 = System.nanoTime();
                    tsl.ops.blas.Blas.product(x, y, dt);
                    direct = Math.min(direct, (System.nanoTime() - t0) / 1e9);
                }
                System.out.printf("Blas.product %s %d (no function call): %.6f s  %.2f GFLOP/s%n", dn, n, direct, flop / direct / 1e9);
            }
        }
    }
}
