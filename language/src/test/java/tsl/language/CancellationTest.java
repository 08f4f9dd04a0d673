package tsl.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tsl.linker.c.NativeLinker;

/**
 * A symbolic while loop that never ends (a C loop under the native linker, the Java Scan loop
 * under jvm) is stopped by the host from another thread: Context.close(true) and
 * Context.interrupt end the evaluation within a second, and a JSR-223 host's thread interrupt
 * ends it with KeyboardInterrupt. The function works afterwards.
 */
class CancellationTest {
    private static String program(String linker) {
        return """
                x = dscalar('x')
                limit = dscalar('limit')
                calls = shared(0.0, name='calls')
                y = x
                while y < limit:
                    y = y + 1
                f = function([x, limit], y, updates=[(calls, calls + 1)], mode=Mode(linker='%s'))
                """.formatted(linker);
    }

    private static void assumeLinker(String linker) {
        Assumptions.assumeTrue(linker.equals("jvm") || NativeLinker.available(), "gcc is not installed");
    }

    /** Runs {@code code} on another thread; returns once it has had time to enter the loop. */
    private static CompletableFuture<Throwable> start(Runnable code, AtomicReference<Thread> thread) throws InterruptedException {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                code.run();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        t.setDaemon(true);   // a loop that failed to stop must not keep the test JVM alive
        thread.set(t);
        t.start();
        Thread.sleep(500);
        assertTrue(t.isAlive(), "the loop ended by itself: " + outcome.getNow(null));
        return outcome;
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "jvm"})
    void closingTheContextCancelsAnEndlessLoop(String linker) throws Exception {
        assumeLinker(linker);
        Context ctx = Context.newBuilder("tsl").build();
        ctx.eval("tsl", program(linker));
        CompletableFuture<Throwable> outcome = start(() -> ctx.eval("tsl", "f(0, float('inf'))"), new AtomicReference<>());
        long t0 = System.nanoTime();
        ctx.close(true);
        Throwable e = outcome.get(5, TimeUnit.SECONDS);
        double s = secondsSince(t0);
        assertInstanceOf(PolyglotException.class, e, () -> "not a polyglot cancellation: " + e);
        assertTrue(((PolyglotException) e).isCancelled(), e.toString());
        assertTrue(s < 1.0, "returned after " + s + " s");

        // the same function in a new context
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context again = Context.newBuilder("tsl").out(out).build()) {
            again.eval("tsl", program(linker) + "print(f(0, 5), calls.get_value())\n");
        }
        assertEquals("5.0 1.0\n", out.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "jvm"})
    void interruptingTheContextStopsTheLoopAndKeepsTheContextUsable(String linker) throws Exception {
        assumeLinker(linker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context ctx = Context.newBuilder("tsl").out(out).build()) {
            ctx.eval("tsl", program(linker));
            CompletableFuture<Throwable> outcome = start(() -> ctx.eval("tsl", "f(0, float('inf'))"), new AtomicReference<>());
            long t0 = System.nanoTime();
            ctx.interrupt(Duration.ofSeconds(5));
            Throwable e = outcome.get(5, TimeUnit.SECONDS);
            double s = secondsSince(t0);
            assertInstanceOf(PolyglotException.class, e, () -> "not a polyglot interrupt: " + e);
            assertTrue(((PolyglotException) e).isInterrupted(), e.toString());
            assertTrue(s < 1.0, "returned after " + s + " s");
            // an interrupted call stored no update, and the next call runs
            ctx.eval("tsl", "print(f(0, 5), calls.get_value())");
        }
        assertEquals("5.0 1.0\n", out.toString(StandardCharsets.UTF_8));
    }

    /**
     * A function with no loop is called without a cancellable section (its program says it
     * cannot loop: CachedFunctionTest); a script loop calling it is still stopped, at the
     * script's own safepoint.
     */
    @ParameterizedTest
    @ValueSource(strings = {"close", "interrupt"})
    void aScriptLoopOfCallsWithoutLoopsStops(String how) throws Exception {
        assumeLinker("c");
        Context ctx = Context.newBuilder("tsl").build();
        ctx.eval("tsl", """
                a = dscalar('a')
                b = dscalar('b')
                g = function([a, b], a + b, mode=Mode(linker='c'))
                """);
        CompletableFuture<Throwable> outcome = start(() -> ctx.eval("tsl", "while True:\n    g(1.0, 2.0)\n"), new AtomicReference<>());
        long t0 = System.nanoTime();
        if (how.equals("close")) {
            ctx.close(true);
        } else {
            ctx.interrupt(Duration.ofSeconds(5));
        }
        Throwable e = outcome.get(5, TimeUnit.SECONDS);
        double s = secondsSince(t0);
        assertInstanceOf(PolyglotException.class, e, () -> "not a polyglot cancellation: " + e);
        assertTrue(how.equals("close") ? ((PolyglotException) e).isCancelled() : ((PolyglotException) e).isInterrupted(), e.toString());
        assertTrue(s < 1.0, "returned after " + s + " s");
        if (how.equals("interrupt")) {
            assertEquals(3.0, ctx.eval("tsl", "float(g(1.0, 2.0))").asDouble(), 0.0);
            ctx.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "jvm"})
    void aJsr223HostInterruptsTheThread(String linker) throws Exception {
        assumeLinker(linker);
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("tsl");
        engine.eval(program(linker));
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<Throwable> outcome = start(() -> {
            try {
                engine.eval("f(0, float('inf'))");
            } catch (ScriptException e) {
                throw new IllegalStateException(e);
            }
        }, thread);
        long t0 = System.nanoTime();
        thread.get().interrupt();
        Throwable e = outcome.get(5, TimeUnit.SECONDS);
        double s = secondsSince(t0);
        assertInstanceOf(ScriptException.class, e == null ? null : e.getCause(), () -> "not a script error: " + e);
        assertTrue(e.getCause().getMessage().contains("KeyboardInterrupt"), e.getCause().getMessage());
        assertTrue(s < 1.0, "returned after " + s + " s");
        StringWriter out = new StringWriter();
        engine.getContext().setWriter(out);
        engine.eval("print(f(0, 5), calls.get_value())");
        assertEquals("5.0 1.0\n", out.toString());
    }
}
