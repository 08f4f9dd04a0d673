package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tsl.compile.Config;
import tsl.compile.Function;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** The warm-up's rehearsed program-cache hit: it leaves nothing behind that a real link could see. */
class LookupRehearsalTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    @Test
    void aRehearsalStoresNothingAndReportsNothing() throws Exception {
        String cachedir = Config.get("cachedir");
        String trace = Config.get("native_trace");
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            Config.set("cachedir", tmp.toString());
            Config.set("native_trace", "True");
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            Thread t = new Thread(LookupRehearsal::run); // quiet() marks the thread it runs on
            t.start();
            t.join(120_000);
            assertFalse(t.isAlive());
        } finally {
            System.setErr(err);
            Config.set("cachedir", cachedir == null ? "" : cachedir);
            Config.set("native_trace", trace == null ? "False" : trace);
        }
        assertEquals("", printed.toString(StandardCharsets.UTF_8), "native_trace reports real links only");
        assertEquals(List.of(), files(tmp), "no program, kernel or directory written");
    }

    @Test
    void theRehearsedGraphHasAKeyAndItIsStable() {
        // a graph without a key would rehearse nothing of CanonicalForm
        assertNotNull(LookupRehearsal.graphKey("id"));
        assertEquals(LookupRehearsal.graphKey("id").hash(), LookupRehearsal.graphKey("id").hash());
    }

    @Test
    void theRehearsedEntrySurvivesItsRoundTrip() {
        ProgramDescription d = LookupRehearsal.storedProgram();
        assertEquals("rehearsal", d.kernelKey);
        assertEquals(2, d.free.size());
        assertArrayEquals(new int[] {2}, d.outputSlots);
        assertEquals("tsl_seg0", d.steps.get(0).layout().functionName);
    }

    @Test
    void linksAfterARehearsalComputeAsBefore() throws InterruptedException {
        Thread t = new Thread(LookupRehearsal::run); // on its own thread, as the warm-up runs it (it silences that thread's trace)
        t.start();
        t.join(120_000);
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable w = OpTesting.var(DType.FLOAT64, 1, "w");
        Function f = NativeTesting.compile("c", List.of(x, w), List.of(T.exp(T.dot(x, w))));
        NDArray out = f.call(OpTesting.arr(DType.FLOAT64, new int[] {2, 2}, 1, 2, 3, 4), NDArray.of(0.5, -0.25))[0];
        assertArrayEquals(new double[] {Math.exp(0), Math.exp(0.5)}, out.toDoubleArray(), 1e-12);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).toList();
        }
    }
}
