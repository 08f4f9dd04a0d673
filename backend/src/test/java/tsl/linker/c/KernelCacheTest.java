package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCacheTest {
    @TempDir
    Path tmp;

    private static void write(Path p, byte[] bytes) {
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void buildsOnceAndCreatesAPrivateDirectory() throws IOException {
        Path dir = tmp.resolve("a/b/kernels");
        KernelCache cache = new KernelCache(dir);
        AtomicInteger builds = new AtomicInteger();
        String key = KernelCache.key("int f(void) { return 1; }", "gcc 12", "-O3");
        Path p1 = cache.get(key, out -> { builds.incrementAndGet(); write(out, new byte[] {1, 2, 3}); });
        Path p2 = cache.get(key, out -> { builds.incrementAndGet(); write(out, new byte[] {9}); });
        assertEquals(p1, p2);
        assertEquals(1, builds.get());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())));
        byte[] all = Files.readAllBytes(p1);
        assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(all, 3));
        assertEquals(3 + KernelCache.TRAILER, all.length);
    }

    @Test
    void keysDependOnEveryPart() {
        assertFalse(KernelCache.key("code", "gcc 12", "-O3").equals(KernelCache.key("code", "gcc 13", "-O3")));
        assertFalse(KernelCache.key("ab", "c").equals(KernelCache.key("a", "bc")));
    }

    @Test
    void truncatedOrCorruptEntriesAreRebuilt() throws IOException {
        KernelCache cache = new KernelCache(tmp.resolve("k"));
        String key = KernelCache.key("x");
        AtomicInteger builds = new AtomicInteger();
        Path p = cache.get(key, out -> { builds.incrementAndGet(); write(out, "library bytes".getBytes()); });
        byte[] good = Files.readAllBytes(p);
        // truncated (a crash mid-write by a tool that did not rename atomically)
        Files.write(p, Arrays.copyOf(good, good.length - 5));
        cache.get(key, out -> { builds.incrementAndGet(); write(out, "library bytes".getBytes()); });
        assertEquals(2, builds.get());
        assertArrayEquals(good, Files.readAllBytes(p));
        // one flipped byte in the library
        byte[] bad = good.clone();
        bad[2] ^= 1;
        Files.write(p, bad);
        assertFalse(KernelCache.isValid(p));
        cache.get(key, out -> { builds.incrementAndGet(); write(out, "library bytes".getBytes()); });
        assertEquals(3, builds.get());
        assertTrue(KernelCache.isValid(p));
        // empty file
        Files.write(p, new byte[0]);
        assertFalse(KernelCache.isValid(p));
    }

    @Test
    void concurrentBuildersOfOneKeyAllGetAValidEntry() throws Exception {
        Path dir = tmp.resolve("shared");
        String key = KernelCache.key("concurrent");
        int n = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // a cache object per thread, as separate processes would have
                KernelCache cache = new KernelCache(dir);
                results.add(pool.submit(() -> {
                    start.await();
                    return cache.get(key, out -> {
                        byte[] big = new byte[1 << 20];
                        Arrays.fill(big, (byte) 7);
                        write(out, big);
                    });
                }));
            }
            start.countDown();
            for (Future<Path> f : results) {
                Path p = f.get();
                assertTrue(KernelCache.isValid(p));
            }
        } finally {
            pool.shutdown();
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(key + ".so"), s.map(p -> p.getFileName().toString()).toList(), "no temporary files left");
        }
    }

    @Test
    void gccBuildsALoadableLibraryAndARebuiltOneAfterCorruption() throws Throwable {
        Gcc gcc = Gcc.find();
        org.junit.jupiter.api.Assumptions.assumeTrue(gcc != null, "gcc is not installed");
        KernelCache cache = new KernelCache(tmp.resolve("gcc"));
        String src = "int tsl_answer(void) { return 42; }\n";
        String key = KernelCache.key(src, gcc.identity());
        Path p = cache.get(key, out -> gcc.compile(out.getParent(), "answer", src, List.of(), List.of(), out));
        byte[] bytes = Files.readAllBytes(p);
        assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, Arrays.copyOf(bytes, 4));
        Files.write(p, Arrays.copyOf(bytes, bytes.length / 2));
        Path again = cache.get(key, out -> gcc.compile(out.getParent(), "answer", src, List.of(), List.of(), out));
        assertTrue(KernelCache.isValid(again));
        var lib = java.lang.foreign.SymbolLookup.libraryLookup(again, java.lang.foreign.Arena.global());
        var h = java.lang.foreign.Linker.nativeLinker().downcallHandle(lib.find("tsl_answer").orElseThrow(),
                java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT));
        assertEquals(42, (int) h.invokeExact());
    }

    @Test
    void clearRemovesEverything() throws IOException {
        KernelCache cache = new KernelCache(tmp.resolve("c"));
        Path p = cache.get(KernelCache.key("y"), out -> write(out, new byte[] {1}));
        assertTrue(Files.exists(p));
        cache.clear();
        assertFalse(Files.exists(cache.directory()));
    }
}
