package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tsl.compile.Function;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** The small library ld links BLAS kernels against in place of the real libopenblas.so.0. Never loaded here: it would shadow the real one. */
class OpenBlasLinkStubTest {
    @TempDir
    Path tmp;

    @Test
    void theSourceDefinesEachCblasFunctionOnce() {
        String header = "void cblas_dgemv(OPENBLAS_CONST enum CBLAS_ORDER order, int n);\n"
                + "double cblas_ddot (OPENBLAS_CONST blasint n, double *x);\n"
                + "void cblas_dgemv(int again);\nvoid openblas_set_num_threads(int n);\n";
        String c = OpenBlasLinkStub.source(header);
        assertTrue(c.contains("void cblas_ddot(void) {}\nvoid cblas_dgemv(void) {}\n"), c);
        assertEquals(1, c.split("cblas_dgemv", -1).length - 1);
        assertFalse(c.contains("openblas_set_num_threads"));
    }

    @Test
    void builtOnceWithTheRealLibrarysSoname() throws Exception {
        NativeTesting.assumeCompiler();
        Path extraction = tmp.resolve("openblas");
        Files.createDirectories(extraction.resolve("include"));
        Files.copy(OpenBlas.directory().resolve("include/cblas.h"), extraction.resolve("include/cblas.h"));
        Path stub = OpenBlasLinkStub.directory(extraction, Gcc.find());
        assertEquals(extraction.resolve(OpenBlasLinkStub.DIRECTORY), stub);
        Path lib = stub.resolve("libopenblas.so.0");
        String dynamic = readelf(lib);
        assertTrue(dynamic.contains("Library soname: [libopenblas.so.0]"), dynamic);
        FileTime stamp = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(lib, stamp);
        assertEquals(stub, OpenBlasLinkStub.directory(extraction, Gcc.find()));
        assertEquals(stamp, Files.getLastModifiedTime(lib), "a second use builds nothing");
        try (var left = Files.list(extraction)) {
            assertEquals(List.of("include", OpenBlasLinkStub.DIRECTORY), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary directory left behind");
        }
    }

    @Test
    void withoutACompilerThereIsNoStubAndNothingIsWritten() throws IOException {
        Path extraction = Files.createDirectories(tmp.resolve("openblas"));
        assertNull(OpenBlasLinkStub.directory(extraction, null));
        try (var left = Files.list(extraction)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void aKernelLinkedThroughTheStubRunsTheRealBlas() {
        NativeTesting.assumeCompiler();
        assertNotNull(OpenBlas.linkFlags());
        Variable a = OpTesting.var(DType.FLOAT64, 2, "a");
        Variable v = OpTesting.var(DType.FLOAT64, 1, "v");
        Function f = NativeTesting.compile("c", List.of(a, v), List.of(T.dot(a, v)));
        NDArray out = f.call(OpTesting.arr(DType.FLOAT64, new int[] {2, 3}, 1, 2, 3, 4, 5, 6), NDArray.of(1, -1, 2))[0];
        // empty stub bodies would leave the output unwritten
        assertArrayEquals(new double[] {5, 11}, out.toDoubleArray(), 0);
    }

    private static String readelf(Path lib) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("readelf", "-d", lib.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
