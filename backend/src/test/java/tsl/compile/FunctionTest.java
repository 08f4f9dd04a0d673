package tsl.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

class FunctionTest {

    private static SharedVariable shared(NDArray v, String name) {
        return new SharedVariable(TensorType.ofNdim(v.dtype(), v.ndim()), v, name);
    }

    private static Variable scalar(DType d, String name) {
        return new Variable(new TensorType(d, new int[0]), name);
    }

    @Test
    void eightThreadsNeverLoseAnAccumulatorUpdate() throws Exception {
        SharedVariable acc = shared(NDArray.scalar(0L, DType.INT64), "acc");
        Variable inc = scalar(DType.INT64, "inc");
        Function f = new FunctionBuilder().inputs(List.of(In.of(inc))).outputs(List.of(acc), true)
                .update(acc, T.add(acc, inc)).build();
        int threads = 8;
        int calls = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long step = t + 1;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < calls; i++) {
                        f.call(step);
                    }
                }));
            }
            for (Future<?> d : done) {
                d.get();
            }
        } finally {
            pool.shutdown();
        }
        // sum over threads of (t+1) * calls
        assertEquals(36L * calls, acc.getValue(false).getLong(0));
    }

    @Test
    void outputsSeeTheValuesBeforeTheUpdates() {
        SharedVariable a = shared(NDArray.scalar(1.0, DType.FLOAT64), "a");
        SharedVariable b = shared(NDArray.scalar(10.0, DType.FLOAT64), "b");
        // swap a and b, and output both: the outputs and updates all read the old values
        Function f = new FunctionBuilder().outputs(List.of(a, b), false).update(a, T.mul(b, 1.0)).update(b, T.mul(a, 1.0)).build();
        NDArray[] out = f.call();
        assertEquals(1.0, out[0].getDouble(0));
        assertEquals(10.0, out[1].getDouble(0));
        assertEquals(10.0, a.getValue(false).getDouble(0));
        assertEquals(1.0, b.getValue(false).getDouble(0));
    }

    @Test
    void aFailedCallLeavesEverySharedVariableUnchanged() {
        SharedVariable w = shared(NDArray.of(1, 2, 3), "w");
        SharedVariable n = shared(NDArray.scalar(0L, DType.INT64), "n");
        Variable x = new Variable(new TensorType(DType.FLOAT64, new int[] {-1}), "x");
        Function f = new FunctionBuilder().inputs(List.of(In.of(x))).outputs(List.of(), false)
                .update(n, T.add(n, 1L)).update(w, T.add(w, x)).build();
        f.call(NDArray.of(1, 1, 1));
        TslException e = assertThrows(TslException.class, () -> f.call(NDArray.of(1, 1)));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
        assertEquals(1L, n.getValue(false).getLong(0));
        assertArrayEquals(new double[] {2, 3, 4}, w.getValue(false).toDoubleArray());
    }

    @Test
    void returnedOutputsAreNotAliasedToSharedValues() {
        SharedVariable w = shared(NDArray.of(1, 2), "w");
        Function f = new FunctionBuilder().outputs(List.of(w), true).build();
        NDArray out = f.call()[0];
        out.setDouble(0, 99);
        assertEquals(1.0, w.getValue(false).getDouble(0));
    }

    @Test
    void keywordArgumentsAndDefaults() {
        Variable x = scalar(DType.FLOAT64, "x");
        Variable y = scalar(DType.FLOAT64, "y");
        Function f = new FunctionBuilder().inputs(List.of(In.of(x), new In(y, "y", 2.0, true, false, false)))
                .outputs(List.of(T.sub(x, y)), true).build();
        assertEquals(3.0, f.call(5.0)[0].getDouble(0));
        assertEquals(4.0, f.call(List.of(5.0), Map.of("y", 1.0))[0].getDouble(0));
        TslException e = assertThrows(TslException.class, () -> f.call(List.of(), Map.of("z", 1.0)));
        assertEquals("TypeError", e.pythonType());
    }

    @Test
    void anUpdateOfAnotherDtypeIsRejectedWithTheCastThatFixesIt() {
        SharedVariable w = shared(NDArray.scalar(1.0, DType.FLOAT32), "w");
        TslException e = assertThrows(TslException.class,
                () -> new FunctionBuilder().outputs(List.of(), false).update(w, T.mul(w, NDArray.scalar(0.5, DType.FLOAT64))).build());
        assertEquals("TypeError", e.pythonType());
        assertTrue(e.getMessage().contains("cast(update_val, 'float32')"), e.getMessage());
    }

    @Test
    void profileCountsCallsAndNodes() {
        Variable x = scalar(DType.FLOAT64, "x");
        Function f = new FunctionBuilder().inputs(List.of(In.of(x))).outputs(List.of(T.exp(T.mul(x, 2.0))), true)
                .profile(true).name("prof").mode(new Mode("jvm", "None")).build();
        for (int i = 0; i < 5; i++) {
            f.call(1.0);
        }
        assertEquals(5, f.profile().calls());
        String s = f.profile().summary();
        assertTrue(s.contains("Time in 5 calls to Function.__call__"), s);
        assertTrue(s.contains("Elemwise{exp}"), s);
        assertTrue(s.contains("Message: prof"), s);
    }
}
