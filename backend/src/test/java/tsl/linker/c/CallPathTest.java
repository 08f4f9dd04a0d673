package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.compile.Function;
import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Op;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** The lean call path of native functions on scalars: threads, re-entrant calls, input checks, small loops. */
class CallPathTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    private static Function scalarFunction() {
        Variable a = OpTesting.var(DType.FLOAT64, 0, "a");
        Variable b = OpTesting.var(DType.FLOAT64, 0, "b");
        return NativeTesting.compile("c", List.of(a, b), List.of(T.add(T.mul(a, b), a)));
    }

    private static String source(FunctionGraph g) {
        List<Variable> free = new ArrayList<>(g.inputs());
        for (Variable v : g.freeVariables()) {
            if (!free.contains(v)) {
                free.add(v);
            }
        }
        return new NativeLinker().generatedSource(g, free);
    }

    @Test
    void scalarCallsFromManyThreadsKeepTheirOwnResults() throws Exception {
        Function f = scalarFunction();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final double a = t + 1;
                done.add(pool.submit(() -> {
                    List<NDArray> kept = new ArrayList<>();
                    for (int i = 0; i < 20_000; i++) {
                        // Java doubles and 0-d arrays take different conversions; both must be exact
                        NDArray r = (i % 2 == 0 ? f.call(a, (double) i) : f.call(NDArray.scalar(a, DType.FLOAT64),
                                NDArray.scalar((double) i, DType.FLOAT64)))[0];
                        if (r.item() != a * i + a) {
                            return "thread " + a + " call " + i + ": " + r.item();
                        }
                        if (i % 1000 == 0) {
                            kept.add(r);
                        }
                    }
                    // results handed out earlier are never overwritten by later calls
                    for (int k = 0; k < kept.size(); k++) {
                        double i = k * 1000;
                        if (kept.get(k).item() != a * i + a) {
                            return "thread " + a + " kept result " + k + " changed to " + kept.get(k).item();
                        }
                    }
                    return null;
                }));
            }
            for (Future<String> d : done) {
                assertEquals(null, d.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    /** An op without C code whose Java step calls the function being run (once), to test re-entrant calls. */
    private static final class CallsBack implements Op {
        final AtomicReference<Function> function = new AtomicReference<>();
        final ThreadLocal<Integer> depth = ThreadLocal.withInitial(() -> 0);

        @Override
        public Apply makeNode(List<Variable> inputs) {
            return new Apply(this, inputs, List.of(inputs.get(0).type()));
        }

        @Override
        public NDArray[] perform(Apply node, NDArray[] inputs) {
            double y = inputs[0].item();
            if (depth.get() == 0) {
                depth.set(1);
                try {
                    y += function.get().call(inputs[0])[0].item();
                } finally {
                    depth.set(0);
                }
            }
            return new NDArray[] {NDArray.scalar(y, DType.FLOAT64)};
        }

        @Override
        public String toString() {
            return "CallsBack";
        }
    }

    @Test
    void aCallMadeWhileTheSameFunctionRunsGetsItsOwnState() {
        // f(x) = R(2x) + x, R(y) = y + f(y) on the outer call and y inside it: f(1) = (2 + (4 + 2)) + 1
        CallsBack op = new CallsBack();
        Variable x = OpTesting.var(DType.FLOAT64, 0, "x");
        Variable out = T.add(op.makeNode(List.of(T.mul(x, 2.0))).output(), x);
        Function f = NativeTesting.compile("c", List.of(x), List.of(out));
        op.function.set(f);
        String src = source(f.graph());
        assertTrue(src != null && src.contains("tsl_seg1"), "a Java step between two native segments");
        for (int i = 0; i < 3; i++) {
            assertEquals(9.0, f.call(1.0)[0].item());
            assertEquals(27.0, f.call(3.0)[0].item());
        }
    }

    @Test
    void theFastConversionsKeepTheirErrors() {
        Function f = scalarFunction();
        TslException ndim = assertThrows(TslException.class, () -> f.call(OpTesting.vec(DType.FLOAT64, 1, 2), 1.0));
        assertTrue(ndim.getMessage().contains("at index 0") && ndim.getMessage().contains("wrong number of dimensions"), ndim.getMessage());
        TslException text = assertThrows(TslException.class, () -> f.call(1.0, "two"));
        assertTrue(text.getMessage().contains("at index 1"), text.getMessage());
        TslException count = assertThrows(TslException.class, () -> f.call(1.0));
        assertTrue(count.getMessage().contains("Missing required input"), count.getMessage());
        // an int fits a float64 input exactly; a float does not fit an int64 input
        assertEquals(7.0, f.call(2L, 2.5)[0].item());
        Variable n = OpTesting.var(DType.INT64, 0, "n");
        Function g = NativeTesting.compile("c", List.of(n), List.of(T.add(n, n)));
        assertEquals(10L, g.call(5L)[0].getLong(0));
        assertEquals(DType.INT64, g.call(5)[0].dtype());
        TslException lossy = assertThrows(TslException.class, () -> g.call(2.5));
        assertTrue(lossy.getMessage().contains("cannot store accurately"), lossy.getMessage());
    }

    @Test
    void scalarLoopsStayOutOfOpenMp() {
        Variable a = OpTesting.var(DType.FLOAT64, 0, "a");
        Variable b = OpTesting.var(DType.FLOAT64, 0, "b");
        String scalar = source(NativeTesting.compile("c", List.of(a, b), List.of(T.add(T.exp(a), b))).graph());
        // a 0-d output is one element: no OpenMP team is built for it
        assertFalse(scalar.contains("#pragma omp parallel"), scalar);
        Variable v = OpTesting.var(DType.FLOAT64, 1, "v");
        Variable out = T.mul(T.exp(v), a);
        String vector = source(NativeTesting.compile("c", List.of(v, a), List.of(out)).graph());
        // longer loops keep the pragma; its size test is for the threads only, not the simd lanes
        assertTrue(vector.contains("#pragma omp parallel for simd schedule(static) if (parallel: n >= "
                + ElemwiseEmitter.PARALLEL_MIN + ")"), vector);
        Function f = NativeTesting.compile("c", List.of(v, a), List.of(out));
        for (int len : new int[] {1, 3, (int) ElemwiseEmitter.PARALLEL_MIN + 5}) {
            NDArray in = NativeTesting.random(DType.FLOAT64, new int[] {len}, -1, 1, len);
            NDArray r = f.call(in, 0.5)[0];
            for (int i = 0; i < len; i += 997) {
                assertEquals(Math.exp(in.getDouble(i)) * 0.5, r.getDouble(i), 1e-12);
            }
        }
        assertEquals(Math.exp(0.25) + 2.0, NativeTesting.compile("c", List.of(a, b), List.of(T.add(T.exp(a), b))).call(0.25, 2.0)[0].item());
    }
}
