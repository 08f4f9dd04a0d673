package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tsl.graph.Constant;
import tsl.graph.TensorType;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** The stored form of a linked program: a round trip, and damage read as absence. */
class ProgramCacheTest {
    @TempDir
    Path tmp;

    private static ProgramDescription sample() {
        NativeProgram.Layout lay = new NativeProgram.Layout("tsl_seg0", 5, 2, new int[] {3, 4},
                new DType[] {DType.FLOAT64, DType.BOOL}, new DType[] {null, null, DType.FLOAT64, DType.FLOAT32, DType.BOOL}, new int[] {3, 4}, true);
        Constant c = new Constant(new TensorType(DType.FLOAT32, 2), NDArray.fromDoubles(DType.FLOAT32, new int[] {2}, new double[] {1.5, -2}), "c");
        return new ProgramDescription("abc123", true, false, 7, 3, new int[] {5, 6},
                List.of(new ProgramDescription.SegmentStep(0, new int[] {0, 1}, new int[] {5, 6}, lay)),
                List.of(new ProgramDescription.Leaf(0), new ProgramDescription.Leaf(4), new ProgramDescription.NewConstant(c)));
    }

    @Test
    void aDescriptionSurvivesTheRoundTrip() {
        ProgramCache cache = new ProgramCache(tmp.resolve("programs"));
        cache.write("k1", sample());
        ProgramDescription d = cache.read("k1");
        assertNotNull(d);
        assertEquals("abc123", d.kernelKey);
        assertEquals(true, d.threads);
        assertEquals(7, d.nslots);
        assertArrayEquals(new int[] {5, 6}, d.outputSlots);
        NativeProgram.Layout lay = d.steps.get(0).layout();
        assertEquals("tsl_seg0", lay.functionName);
        assertEquals(2, lay.reuseCount);
        assertEquals(true, lay.polls);
        assertArrayEquals(new DType[] {null, null, DType.FLOAT64, DType.FLOAT32, DType.BOOL}, lay.slotDtype);
        assertEquals(new ProgramDescription.Leaf(4), d.free.get(1));
        Constant c = ((ProgramDescription.NewConstant) d.free.get(2)).constant();
        assertEquals("c", c.name());
        assertSame(DType.FLOAT32, c.value().dtype());
        assertArrayEquals(new double[] {1.5, -2}, c.value().toDoubleArray(), 0);
        assertArrayEquals(new int[] {2}, c.type().shape());
        assertNull(cache.read("k2"));
    }

    @Test
    void aDamagedEntryReadsAsAbsent() throws IOException {
        ProgramCache cache = new ProgramCache(tmp.resolve("programs"));
        cache.write("k", sample());
        Path p = cache.entry("k");
        byte[] good = Files.readAllBytes(p);
        for (int i = 0; i < good.length; i += 7) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            Files.write(p, bad);
            assertNull(cache.read("k"), "byte " + i + " flipped");
        }
        for (int n : new int[] {0, 5, good.length / 2, good.length - 1}) {
            Files.write(p, java.util.Arrays.copyOf(good, n));
            assertNull(cache.read("k"), "truncated to " + n);
        }
        Files.write(p, good);
        assertNotNull(cache.read("k"));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p.getParent())));
    }

    @Test
    void aMissingOrCorruptKernelIsNotLoaded() throws IOException {
        KernelCache kernels = new KernelCache(tmp.resolve("kernels"));
        String key = KernelCache.key("never compiled " + System.nanoTime());
        assertNull(NativeLibraries.loadCached(key, false, false, kernels));
        Files.createDirectories(kernels.directory());
        Files.write(kernels.directory().resolve(key + ".so"), new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3});
        assertNull(NativeLibraries.loadCached(key, false, false, kernels));
    }

    @Test
    void clearingTheKernelsClearsThePrograms() {
        KernelCache kernels = new KernelCache(tmp.resolve("kernels"));
        ProgramCache programs = ProgramCache.beside(kernels);
        programs.write("k", sample());
        assertNotNull(programs.read("k"));
        kernels.clear();
        assertNull(programs.read("k"));
        assertEquals(false, Files.exists(programs.directory()));
    }
}
