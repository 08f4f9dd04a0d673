package tsl.linker.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FFM binding to cuBLAS and the row-major → column-major plan, against a stand-in library
 * with cuBLAS's signatures that computes on host memory: every combination of row- and
 * column-major operands must give the row-major product.
 */
class CublasLibraryTest {

    private static Path buildFake(Path dir) throws Exception {
        Path c = dir.resolve("fake_cublas.c");
        try (InputStream in = CublasLibraryTest.class.getResourceAsStream("fake_cublas.c")) {
            Files.copy(in, c);
        }
        Path so = dir.resolve("libcublas.so.13");
        Process p;
        try {
            p = new ProcessBuilder("gcc", "-O1", "-shared", "-fPIC", "-o", so.toString(), c.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no gcc");
            return null;
        }
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        return so;
    }

    @Test
    void rowMajorProductsForEveryOperandLayout(@TempDir Path tmp) throws Exception {
        CublasLibrary lib = CublasLibrary.load(buildFake(tmp).toString());
        assertNotNull(lib);
        int m = 3;
        int n = 4;
        int k = 5;
        double[][] a = new double[m][k];
        double[][] b = new double[k][n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                a[i][p] = i * 10 + p + 1;
            }
        }
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                b[p][j] = (p - 2) * 0.5 + j;
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            for (boolean aRowMajor : new boolean[] {true, false}) {
                for (boolean bRowMajor : new boolean[] {true, false}) {
                    // element (i, p) of A at i*sa0 + p*sa1
                    long[] sa = aRowMajor ? new long[] {k, 1} : new long[] {1, m};
                    long[] sb = bRowMajor ? new long[] {n, 1} : new long[] {1, k};
                    MemorySegment am = arena.allocate(8L * m * k);
                    MemorySegment bm = arena.allocate(8L * k * n);
                    MemorySegment cm = arena.allocate(8L * m * n);
                    for (int i = 0; i < m; i++) {
                        for (int p = 0; p < k; p++) {
                            am.setAtIndex(ValueLayout.JAVA_DOUBLE, i * sa[0] + p * sa[1], a[i][p]);
                        }
                    }
                    for (int p = 0; p < k; p++) {
                        for (int j = 0; j < n; j++) {
                            bm.setAtIndex(ValueLayout.JAVA_DOUBLE, p * sb[0] + j * sb[1], b[p][j]);
                        }
                    }
                    int[] plan = Cublas.plan(m, n, k, sa, sb);
                    lib.gemm(false, plan[2], plan[0], n, m, k, bm.address(), plan[3], am.address(), plan[1], cm.address(), n);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double want = 0;
                            for (int p = 0; p < k; p++) {
                                want += a[i][p] * b[p][j];
                            }
                            assertEquals(want, cm.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * n + j), 1e-12,
                                    "A " + (aRowMajor ? "row" : "column") + "-major, B " + (bRowMajor ? "row" : "column") + "-major");
                        }
                    }
                }
            }
        }
    }
}
