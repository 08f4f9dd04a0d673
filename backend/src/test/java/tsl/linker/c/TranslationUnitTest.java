package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.linker.c.NativeTesting.random;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tsl.compile.Config;
import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** A large unit split for several gcc processes: what is split, how it is shared out, and that it computes the same. */
class TranslationUnitTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    /** Twelve broadcasting nodes (no rewrites, so none fuse): each node's code is over 1,000 characters. */
    private static List<Variable> chain(Variable x, Variable r, double seed) {
        Variable y = x;
        List<Variable> outs = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            y = T.add(T.mul(y, r), T.exp(T.mul(x, seed + k)));
        }
        outs.add(y);
        outs.add(T.sum(y));
        return outs;
    }

    private static TranslationUnit unitOf(List<Variable> ins, List<Variable> outs) {
        FunctionGraph g = FunctionGraph.clone(ins, outs, Map.of());
        return new NativeLinker().translationUnit(g, g.inputs());
    }

    @Test
    void aLargeUnitGetsFunctionsOfItsOwnFencedByMacros() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable r = OpTesting.var(DType.FLOAT64, 1, "r");
        TranslationUnit tu = unitOf(List.of(x, r), chain(x, r, 0.01));
        assertTrue(tu.partCosts.size() >= 12, "each large node outlined: " + tu.partCosts);
        for (int p = 0; p < tu.partCosts.size(); p++) {
            assertTrue(tu.source.contains("#ifndef TSL_SKIP_P" + p + "\n"), "part " + p);
            assertTrue(tu.partCosts.get(p) >= TranslationUnit.OUTLINE_MIN);
        }
        assertTrue(tu.source.contains("#ifndef TSL_SKIP_ENTRY"));
        assertTrue(tu.source.contains("int tsl_seg0(tsl_arr* T"), "the entry point keeps its name");
    }

    @Test
    void aSmallUnitStaysOneFunction() {
        Variable a = OpTesting.var(DType.FLOAT64, 0, "a");
        Variable b = OpTesting.var(DType.FLOAT64, 0, "b");
        TranslationUnit tu = unitOf(List.of(a, b), List.of(T.add(a, b)));
        assertTrue(tu.partCosts.isEmpty());
        assertFalse(tu.source.contains("TSL_SKIP"));
        assertEquals(List.of(List.of()), tu.compileGroups(4));
    }

    @Test
    void groupsCompileEveryPartOnceAndTheEntryInTheFirst() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable r = OpTesting.var(DType.FLOAT64, 1, "r");
        TranslationUnit tu = unitOf(List.of(x, r), chain(x, r, 0.02));
        int parts = tu.partCosts.size();
        for (int processes : new int[] {1, 2, 3, 4, parts + 5}) {
            List<List<String>> groups = tu.compileGroups(processes);
            assertEquals(Math.min(processes, parts + 1), groups.size(), processes + " processes");
            if (groups.size() == 1) {
                assertEquals(List.of(), groups.get(0), "one process compiles the source as it is");
                continue;
            }
            assertFalse(groups.get(0).contains("-DTSL_SKIP_ENTRY"));
            Set<Integer> compiled = new HashSet<>();
            for (int g = 0; g < groups.size(); g++) {
                assertEquals(g != 0, groups.get(g).contains("-DTSL_SKIP_ENTRY"));
                for (int p = 0; p < parts; p++) {
                    if (!groups.get(g).contains("-DTSL_SKIP_P" + p)) {
                        assertTrue(compiled.add(p), "part " + p + " compiled twice");
                    }
                }
            }
            assertEquals(parts, compiled.size(), "every part compiled");
        }
    }

    @Test
    void theSplitUnitComputesWhatTheJvmDoesAndReportsErrorsFromOutlinedNodes(@TempDir Path cache) throws Exception {
        String before = Config.get("cachedir");
        String jobs = Config.get("gcc_jobs");
        try {
            Config.set("cachedir", cache.toString());
            Config.set("gcc_jobs", "3");
            Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
            Variable r = OpTesting.var(DType.FLOAT64, 1, "r");
            List<Variable> outs = chain(x, r, 0.03);
            NDArray xv = random(DType.FLOAT64, new int[] {5, 7}, -1, 1, 1);
            NDArray rv = random(DType.FLOAT64, new int[] {7}, -1, 1, 2);
            NativeTesting.same(List.of(x, r), outs, xv, rv);
            try (var files = Files.list(cache.resolve("kernels"))) {
                assertTrue(files.anyMatch(p -> p.toString().endsWith(".so")), "compiled into this cache");
            }
            NDArray wrong = random(DType.FLOAT64, new int[] {6}, -1, 1, 3);
            TslException jvm = assertThrows(TslException.class, () -> NativeTesting.run("jvm", List.of(x, r), outs, xv, wrong));
            TslException c = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(x, r), outs, xv, wrong));
            assertEquals(jvm.getMessage(), c.getMessage());
        } finally {
            Config.set("cachedir", before == null ? "" : before);
            Config.set("gcc_jobs", jobs == null ? "" : jobs);
        }
    }

    @Test
    void oneProcessOrSeveralBuildALibraryWithTheEntryPoint(@TempDir Path dir) throws Exception {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable r = OpTesting.var(DType.FLOAT64, 1, "r");
        TranslationUnit tu = unitOf(List.of(x, r), chain(x, r, 0.04));
        Gcc gcc = Gcc.find();
        for (int processes : new int[] {1, 3}) {
            Path work = Files.createDirectory(dir.resolve("p" + processes));
            Path lib = work.resolve("k.so");
            gcc.compileInParts(work, "k", tu.source, tu.compileGroups(processes), List.of("-fopenmp"), List.of("-lm"), lib);
            SymbolLookup l = SymbolLookup.libraryLookup(lib, Arena.global()); // never unloaded: it links libgomp (PLATFORM.md)
            assertTrue(l.find("tsl_seg0").isPresent(), processes + " process(es)");
            assertFalse(l.find("tsl_seg0_p0").isPresent(), "the node functions stay inside the library");
        }
    }

    @Test
    void aFailingPartFailsTheCompileWithGccsMessage(@TempDir Path dir) {
        String src = "#ifdef TSL_SKIP_ENTRY\n#error only the second process sees this\n#endif\nint tsl_seg0(void) { return 0; }\n";
        TslException e = assertThrows(TslException.class, () -> Gcc.find().compileInParts(dir, "bad", src,
                List.of(List.of(), List.of("-DTSL_SKIP_ENTRY")), List.of(), List.of(), dir.resolve("bad.so")));
        assertTrue(e.getMessage().contains("only the second process sees this"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("bad.so")));
    }
}
