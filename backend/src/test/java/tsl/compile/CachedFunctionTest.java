package tsl.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.control.ScanBuilder;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * function() with the program cache: a graph compiled before is served from disk without
 * rewrites or code generation, and computes what a fresh compile computes; anything that
 * changes the program misses; a damaged entry is rebuilt; other linkers store nothing.
 */
class CachedFunctionTest {
    @TempDir
    Path tmp;
    private String savedCachedir;

    @BeforeEach
    void privateCache() {
        Assumptions.assumeTrue(tsl.linker.c.NativeLinker.available(), "gcc is not installed");
        savedCachedir = Config.get("cachedir");
        Config.set("cachedir", tmp.toString());
    }

    @AfterEach
    void restore() {
        Config.set("cachedir", savedCachedir == null ? "" : savedCachedir);
    }

    /** A graph built anew on every call, as a script run again would build it. */
    private record Built(List<Variable> inputs, List<Variable> outputs, List<Update> updates) {}

    private static Function compile(Built b, Mode mode) {
        List<In> ins = new ArrayList<>();
        for (Variable v : b.inputs()) {
            ins.add(In.of(v));
        }
        FunctionBuilder fb = new FunctionBuilder().inputs(ins).outputs(b.outputs(), false).mode(mode);
        for (Update u : b.updates()) {
            fb.update(u.variable(), u.expression());
        }
        return fb.build();
    }

    private static Function compile(Built b) {
        return compile(b, new Mode("c", "fast_run"));
    }

    /** Compiles and says whether the program came from the cache. */
    private static boolean hit(Supplier<Built> graph) {
        long before = CachedCompile.HITS.get();
        compile(graph.get());
        return CachedCompile.HITS.get() == before + 1;
    }

    private static Supplier<Built> scaledExp(double c) {
        return () -> {
            Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
            return new Built(List.of(x), List.of(T.mul(T.exp(x), T.constant(c)), T.sum(x)), List.of());
        };
    }

    private static final NDArray X = NDArray.of(0.5, -1, 2);

    private List<Path> entries(String folder, String suffix) throws IOException {
        Path d = tmp.resolve(folder);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void theSameGraphBuiltTwiceIsAHitAndComputesTheSame() throws IOException {
        Function first = compile(scaledExp(2).get());
        assertFalse(hit(scaledExp(3)), "another constant is another program");
        long before = CachedCompile.HITS.get();
        Function second = compile(scaledExp(2).get());
        assertEquals(before + 1, CachedCompile.HITS.get());
        NDArray[] a = first.call(X);
        NDArray[] b = second.call(X);
        assertArrayEquals(a[0].toDoubleArray(), b[0].toDoubleArray(), 0);
        assertEquals(1.5, b[1].item(), 1e-15);
        assertArrayEquals(new double[] {2 * Math.exp(0.5), 2 * Math.exp(-1), 2 * Math.exp(2)}, b[0].toDoubleArray(), 1e-12);
        // the optimized graph is still there for debugprint, made when asked
        assertNotNull(second.graph());
        assertFalse(second.graph().toposort().isEmpty());
        assertEquals(2, entries("programs", ".prog").size());
    }

    @Test
    void aHitsGraphIsRewrittenWithTheFlagsItsFunctionSaw() {
        String before = Config.get("optimizer_excluding");
        Function fresh;
        Function served;
        try {
            Config.set("optimizer_excluding", "fusion");
            fresh = compile(scaledExp(5).get());
            assertTrue(hit(scaledExp(5)));
            long hits = CachedCompile.HITS.get();
            served = compile(scaledExp(5).get());
            assertEquals(hits + 1, CachedCompile.HITS.get());
        } finally {
            Config.set("optimizer_excluding", before == null ? "" : before);
        }
        // the optimized graph is made only now, after the flag went back: still without fusion
        String printed = tsl.printing.DebugPrint.of(served, false);
        assertEquals(tsl.printing.DebugPrint.of(fresh, false), printed);
        assertFalse(printed.contains("Composite"), printed);
        assertTrue(printed.contains("Elemwise{exp"), printed);
    }

    @Test
    void aSnapshotIsReadOnlyByTheThreadThatRunsWithinIt() throws Exception {
        String before = Config.get("optimizer_excluding");
        try {
            Config.set("optimizer_excluding", "fusion");
            Config.Snapshot s = Config.snapshot();
            Config.set("optimizer_excluding", "inplace");
            assertEquals("fusion", Config.within(s, () -> Config.get("optimizer_excluding")));
            assertTrue(Config.within(s, Config::describe).contains("optimizer_excluding=fusion"));
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                assertEquals("fusion", Config.within(s, () -> {
                    try {
                        assertEquals("inplace", other.submit(() -> Config.get("optimizer_excluding")).get());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    return Config.get("optimizer_excluding");
                }));
            } finally {
                other.shutdown();
            }
            assertEquals("inplace", Config.get("optimizer_excluding"));
        } finally {
            Config.set("optimizer_excluding", before == null ? "" : before);
        }
    }

    @Test
    void aCorruptOrTruncatedEntryIsRebuilt() throws IOException {
        compile(scaledExp(5).get());
        Path prog = entries("programs", ".prog").get(0);
        byte[] good = Files.readAllBytes(prog);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x10;
        Files.write(prog, bad);
        assertFalse(hit(scaledExp(5)), "a flipped byte is detected");
        assertArrayEquals(good, Files.readAllBytes(prog), "and the entry written again");
        Files.write(prog, java.util.Arrays.copyOf(good, good.length - 7));
        assertFalse(hit(scaledExp(5)), "a truncated entry is detected");
        assertTrue(hit(scaledExp(5)));
        Function f = compile(scaledExp(5).get());
        assertEquals(5 * Math.exp(2), f.call(X)[0].getDouble(2), 1e-12);
    }

    /** Seed 11's training step: shared variables, updates, a gemv, a fused loop. */
    private static Supplier<Built> logisticStep(SharedVariable w, SharedVariable b) {
        return () -> {
            Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
            Variable y = OpTesting.var(DType.FLOAT64, 1, "y");
            Variable p1 = T.trueDiv(T.constant(1.0), T.add(T.constant(1.0), T.exp(T.sub(T.neg(T.dot(x, w)), b))));
            Variable xent = T.sub(T.mul(T.neg(y), T.log(p1)), T.mul(T.sub(T.constant(1.0), y), T.log(T.sub(T.constant(1.0), p1))));
            Variable cost = T.add(T.mean(xent), T.mul(T.constant(0.01), T.sum(T.sqr(w))));
            List<Variable> g = tsl.grad.Gradient.grad(cost, List.of(w, b), java.util.Set.of(), "raise");
            return new Built(List.of(x, y), List.of(T.gt(p1, T.constant(0.5)), xent),
                    List.of(new Update(w, T.sub(w, T.mul(T.constant(0.1), g.get(0)))), new Update(b, T.sub(b, T.mul(T.constant(0.1), g.get(1))))));
        };
    }

    @Test
    void aHitAppliesTheSameUpdatesAsAFreshCompile() {
        NDArray xs = OpTesting.arr(DType.FLOAT64, new int[] {4, 3}, 1, 2, 3, -1, 0.5, 2, 0, 0, 1, 3, -2, 1);
        NDArray ys = NDArray.of(1, 0, 1, 0);
        double[][] results = new double[2][];
        for (int run = 0; run < 2; run++) {
            SharedVariable w = new SharedVariable(new TensorType(DType.FLOAT64, TensorType.UNKNOWN), NDArray.of(0.1, -0.2, 0.3), "w");
            SharedVariable b = new SharedVariable(new TensorType(DType.FLOAT64), NDArray.scalar(0.0, DType.FLOAT64), "b");
            long before = CachedCompile.HITS.get();
            Function train = compile(logisticStep(w, b).get());
            assertEquals(run == 0 ? before : before + 1, CachedCompile.HITS.get(), "run " + run);
            NDArray[] out = null;
            for (int i = 0; i < 3; i++) {
                out = train.call(xs, ys);
            }
            double[] wv = w.getValue(false).toDoubleArray();
            results[run] = new double[] {wv[0], wv[1], wv[2], b.getValue(false).item(), out[1].getDouble(0), out[0].getDouble(3)};
        }
        assertArrayEquals(results[0], results[1], 0);
    }

    @Test
    void anErrorInAHitNamesTheSameNodeAndLine() {
        Supplier<Built> g = () -> {
            Variable a = OpTesting.var(DType.FLOAT64, 2, "a");
            Variable v = OpTesting.var(DType.FLOAT64, 1, "v");
            return new Built(List.of(a, v), List.of(T.tanh(T.dot(a, v))), List.of());
        };
        NDArray a = OpTesting.arr(DType.FLOAT64, new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        NDArray v = NDArray.of(1, 2);
        String miss = assertThrows(TslException.class, () -> compile(g.get()).call(a, v)).getMessage();
        long before = CachedCompile.HITS.get();
        Function hit = compile(g.get());
        assertEquals(before + 1, CachedCompile.HITS.get());
        String fromHit = assertThrows(TslException.class, () -> hit.call(a, v)).getMessage();
        assertEquals(miss, fromHit);
        assertTrue(fromHit.contains("Apply node that caused the error"), fromHit);
    }

    @Test
    void constantsMadeByTheRewritesAreStoredWithTheirValues() {
        // x * (2 + 3) folds to x * 5: a constant the un-optimized graph does not have
        Supplier<Built> g = () -> {
            Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
            Variable five = T.add(T.constant(2.0), T.constant(3.0));
            return new Built(List.of(x), List.of(T.exp(T.mul(x, T.add(five, T.exp(five))))), List.of());
        };
        double[] fresh = compile(g.get()).call(X)[0].toDoubleArray();
        long before = CachedCompile.HITS.get();
        Function f = compile(g.get());
        assertEquals(before + 1, CachedCompile.HITS.get());
        assertArrayEquals(fresh, f.call(X)[0].toDoubleArray(), 0);
        double ref = compile(g.get(), new Mode("jvm", "fast_run")).call(X)[0].getDouble(0);
        assertEquals(1, f.call(X)[0].getDouble(0) / ref, 1e-12);
    }

    @Test
    void theJvmLinkerAndDebugModeStoreNothing() throws IOException {
        long before = CachedCompile.HITS.get();
        compile(scaledExp(7).get(), new Mode("jvm", "fast_run"));
        compile(scaledExp(7).get(), new Mode("debug", "fast_run"));
        compile(scaledExp(7).get(), new Mode("debug", "fast_run"));
        assertEquals(before, CachedCompile.HITS.get());
        assertTrue(entries("programs", ".prog").isEmpty());
    }

    @Test
    void theFlagTurnsTheCacheOff() throws IOException {
        try {
            Config.set("program_cache", "False");
            compile(scaledExp(8).get());
            assertFalse(hit(scaledExp(8)));
            assertTrue(entries("programs", ".prog").isEmpty());
        } finally {
            Config.set("program_cache", "");
        }
    }

    @Test
    void concurrentCompilesOfOneGraphAllWorkAndLeaveOneEntry() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit(() -> compile(scaledExp(11).get()).call(X)[0].toDoubleArray()));
            }
            for (Future<double[]> f : fs) {
                assertArrayEquals(new double[] {11 * Math.exp(0.5), 11 * Math.exp(-1), 11 * Math.exp(2)}, f.get(), 1e-12);
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, entries("programs", ".prog").size());
        assertTrue(entries("programs", ".tmp").isEmpty(), "no temporary file is left behind");
        assertTrue(hit(scaledExp(11)));
    }

    /** {@code while y < limit: y = y + 1} as a bare until loop: C that polls the cancellation flag. */
    private static Supplier<Built> countTo() {
        return () -> {
            Variable y0 = OpTesting.var(DType.FLOAT64, 0, "y0");
            Variable limit = OpTesting.var(DType.FLOAT64, 0, "limit");
            Variable all = ScanBuilder.scan(a -> {
                Variable next = T.add(a.get(0), 1.0);
                return new ScanBuilder.Step(List.of(next), java.util.Map.of(), T.ge(next, limit));
            }, List.of(), List.of(ScanBuilder.OutputInfo.of(y0)), List.of(limit), null, -1, false, null).outputs().get(0);
            return new Built(List.of(y0, limit), List.of(T.subtensor(all, -1L)), List.of());
        };
    }

    /**
     * Whether a call may loop decides whether the language arms cancellation around it: a
     * program served from the cache must say what the freshly linked one said.
     */
    @Test
    void aProgramFromTheCacheSaysWhetherItMayLoop() {
        Supplier<Built> plain = () -> {
            Variable a = OpTesting.var(DType.FLOAT64, 0, "a");
            Variable b = OpTesting.var(DType.FLOAT64, 0, "b");
            return new Built(List.of(a, b), List.of(T.add(a, b)), List.of());
        };
        for (Supplier<Built> graph : List.of(plain, countTo())) {
            boolean loops = graph != plain;
            Function fresh = compile(graph.get());
            long before = CachedCompile.HITS.get();
            Function cached = compile(graph.get());
            assertEquals(before + 1, CachedCompile.HITS.get(), "the second compile is a cache hit");
            assertEquals(loops, fresh.mayLoop());
            assertEquals(loops, cached.mayLoop());
            // 0 + 5, or counting from 0 to 5
            assertEquals(5.0, cached.call(NDArray.scalar(0.0, DType.FLOAT64), NDArray.scalar(5.0, DType.FLOAT64))[0].getDouble(0), 0.0);
        }
        // the jvm linker does not know: it says a call may loop
        assertTrue(compile(plain.get(), new Mode("jvm", "fast_run")).mayLoop());
    }
}
