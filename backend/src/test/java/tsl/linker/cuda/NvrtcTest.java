package tsl.linker.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tsl.graph.TslException;

/**
 * The FFM binding to NVRTC, against a stand-in library with NVRTC's C signatures (built with
 * gcc), so that the calls, strings and sizes are checked on machines without CUDA.
 */
class NvrtcTest {

    private static Path buildFake(Path dir) throws Exception {
        Path c = dir.resolve("fake_nvrtc.c");
        try (InputStream in = NvrtcTest.class.getResourceAsStream("fake_nvrtc.c")) {
            Files.copy(in, c);
        }
        Path so = dir.resolve("libnvrtc.so.13");
        Process p;
        try {
            p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", so.toString(), c.toString()).redirectErrorStream(true).start();
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
    void compilesThroughTheCSignatures(@TempDir Path tmp) throws Exception {
        Nvrtc n = Nvrtc.load(buildFake(tmp).toString());
        assertNotNull(n);
        String ptx = new String(n.compile("extern \"C\" __global__ void k() {}", List.of("--gpu-architecture=compute_90", "-x")));
        assertEquals("// fake ptx, 2 option(s), first: --gpu-architecture=compute_90\nextern \"C\" __global__ void k() {}", ptx);
    }

    @Test
    void aCompileErrorCarriesTheLog(@TempDir Path tmp) throws Exception {
        Nvrtc n = Nvrtc.load(buildFake(tmp).toString());
        TslException e = assertThrows(TslException.class, () -> n.compile("#error no\n", List.of()));
        assertTrue(e.getMessage().contains("error: planted"), e.getMessage());
    }

    @Test
    void aMissingLibraryIsNull(@TempDir Path tmp) {
        assertNull(Nvrtc.load(tmp.resolve("libnvrtc.so.99").toString()));
    }
}
