package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.compile.Function;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** The background warm-up of the native linker: harmless however it races a link. */
class LinkerWarmUpTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    @Test
    void warmUpsRacingLinksChangeNothingTheyCompute() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> warmUps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                warmUps.add(pool.submit(LinkerWarmUp::run));
            }
            Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
            Future<NDArray[]> linked = pool.submit(() -> {
                Function f = NativeTesting.compile("c", List.of(x), List.of(T.mul(T.exp(x), 3)));
                return f.call(OpTesting.vec(DType.FLOAT64, 0, 1));
            });
            for (Future<?> w : warmUps) {
                w.get(120, TimeUnit.SECONDS); // a deadlock between warm-up and link would hang here
            }
            assertArrayEquals(new double[] {3, 3 * Math.exp(1)}, linked.get(120, TimeUnit.SECONDS)[0].toDoubleArray(), 1e-12);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void startsOneBackgroundThreadPerProcess() {
        for (int i = 0; i < 5; i++) {
            NativeLinker.warmUp();
        }
        long seen = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("tsl-native-warmup")).count();
        assertTrue(seen <= 1, seen + " warm-up threads");
    }
}
