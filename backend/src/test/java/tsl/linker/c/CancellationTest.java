package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tsl.compile.Cancellation;
import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.FunctionGraph;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.control.IfElse;
import tsl.ops.control.ScanBuilder;
import tsl.ops.control.ScanBuilder.OutputInfo;
import tsl.ops.control.ScanBuilder.Step;
import tsl.rewrite.RewriteDB;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * A while loop that never ends (a scan bounded by until alone, as the language's symbolic
 * while lowers to) is stopped from another thread — through {@link Cancellation#cancel} (what
 * an embedding's cancel hook does) or a thread interrupt — in C and in Java, and the same
 * function still works afterwards.
 */
class CancellationTest {
    /** {@code while y < limit: y = y + 1} over a scalar or a vector, with a shared counter updated per call. */
    private static final class Loop {
        final SharedVariable calls = new SharedVariable(new TensorType(DType.FLOAT64), NDArray.scalar(0.0, DType.FLOAT64), "calls");
        final Function f;

        Loop(String linker, int ndim) {
            Variable y0 = OpTesting.var(DType.FLOAT64, ndim, "y0");
            Variable limit = OpTesting.var(DType.FLOAT64, 0, "limit");
            Variable all = ScanBuilder.scan(a -> {
                Variable next = T.add(a.get(0), 1.0);
                return new Step(List.of(next), Map.of(), T.ge(first(next), limit));
            }, List.of(), List.of(OutputInfo.of(y0)), List.of(limit), null, -1, false, null).outputs().get(0);
            // the scalar loop as the language's while lowers it (inside the ifelse on the first condition); the vector one
            // as a bare until loop (an ifelse whose branch has a vector scan has no C code yet)
            List<Variable> outs = ndim == 0 ? IfElse.build(T.lt(first(y0), limit), List.of(T.subtensor(all, -1L)), List.of(y0), "while")
                    : List.of(T.subtensor(all, -1L));
            if (linker.equals("c")) {
                assertLoopInC(List.of(y0, limit), outs);
            }
            f = new FunctionBuilder().inputs(List.of(In.of(y0), In.of(limit))).outputs(outs, true)
                    .update(calls, T.add(calls, 1.0)).mode(new Mode(linker, "fast_run")).build();
        }
    }

    /** A scalar as is, a vector's first element: what the loop's condition reads. */
    private static Variable first(Variable v) {
        return v.ndim() == 0 ? v : T.subtensor(v, 0L);
    }

    /** The loop must be C code that polls the flag (not a Java step), or the native cases would test the Java loop again. */
    private static void assertLoopInC(List<Variable> inputs, List<Variable> outs) {
        FunctionGraph g = FunctionGraph.clone(inputs, outs, Map.of());
        RewriteDB.defaultDB().query("fast_run", Set.of(), Set.of()).optimize(g);
        List<Variable> free = new ArrayList<>(g.inputs());
        for (Variable v : g.freeVariables()) {
            if (!free.contains(v)) {
                free.add(v);
            }
        }
        String src = new NativeLinker().generatedSource(g, free);
        assertTrue(src != null && src.contains("/* Scan{") && src.contains("tsl_cancelled(err)"), "the loop is not C:\n" + src);
    }

    @ParameterizedTest
    @CsvSource({"c, 0, cancel", "c, 1, cancel", "c, 0, interrupt", "c, 1, interrupt",
        "jvm, 0, cancel", "jvm, 1, cancel", "jvm, 0, interrupt"})
    void anEndlessWhileLoopStopsWhenCancelled(String linker, int ndim, String how) throws Exception {
        if (linker.equals("c")) {
            NativeTesting.assumeCompiler();
        }
        Loop loop = new Loop(linker, ndim);
        NDArray start = ndim == 0 ? NDArray.scalar(0.0, DType.FLOAT64) : NDArray.zeros(DType.FLOAT64, new int[] {3});
        NDArray endless = NDArray.scalar(Double.POSITIVE_INFINITY, DType.FLOAT64);
        AtomicReference<Cancellation> flag = new AtomicReference<>();
        AtomicReference<Thread> worker = new AtomicReference<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            flag.set(Cancellation.current());
            worker.set(Thread.currentThread());
            try {
                loop.f.call(start, endless);
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        t.setDaemon(true);   // a loop that failed to stop must not keep the test JVM alive
        t.start();
        Thread.sleep(300);
        assertTrue(t.isAlive(), "the loop ended by itself");
        long t0 = System.nanoTime();
        if (how.equals("cancel")) {
            flag.get().cancel();
        } else {
            worker.get().interrupt();
        }
        Throwable e = outcome.get(5, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertInstanceOf(Cancellation.Cancelled.class, e, () -> "the call ends with a cancellation, not " + e);
        assertEquals("KeyboardInterrupt", ((Cancellation.Cancelled) e).pythonType());
        assertTrue(seconds < 1.0, "stopped after " + seconds + " s");
        assertEquals(0.0, loop.calls.getValue(true).getDouble(0), "a cancelled call stores no update");
        t.join(1000);

        // the same function, on this thread (no request pending): a loop that ends
        NDArray r = loop.f.call(start, NDArray.scalar(5.0, DType.FLOAT64))[0];
        assertEquals(5.0, r.getDouble(0));
        assertEquals(1.0, loop.calls.getValue(true).getDouble(0));
    }
}
