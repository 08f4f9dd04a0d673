package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.rewrite.RewriteTesting.only;
import static tsl.rewrite.RewriteTesting.random;
import static tsl.rewrite.RewriteTesting.run;
import static tsl.rewrite.RewriteTesting.var;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.control.Scan;
import tsl.ops.control.ScanBuilder;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** "scan_save_mem": a state read only through out[-1] keeps its last row; a state read whole keeps every row. */
class ScanSaveMemRewriteTest {
    private final Variable xs = var(DType.FLOAT64, "xs", -1, -1);
    private final Variable h0 = var(DType.FLOAT64, "h0", -1);

    private Variable states() {
        return ScanBuilder.scan(a -> new ScanBuilder.Step(List.of(T.tanh(T.add(a.get(1), a.get(0)))), Map.of(), null),
                List.of(new ScanBuilder.Sequence(xs)), List.of(ScanBuilder.OutputInfo.of(h0)), List.of(), null, -1, false, null)
                .outputs().get(0);
    }

    private static Scan scanOf(FunctionGraph g) {
        return (Scan) g.toposort().stream().filter(a -> a.op() instanceof Scan).findFirst().orElseThrow().op();
    }

    @Test
    void aStateReadThroughItsLastRowKeepsOnlyThatRow() {
        Variable last = T.subtensor(states(), -1L);
        FunctionGraph reference = FunctionGraph.clone(List.of(xs, h0), List.of(last), Map.of());
        FunctionGraph g = FunctionGraph.clone(List.of(xs, h0), List.of(last), Map.of());
        assertFalse(scanOf(g).lastOnly(0), "before: every row is kept");
        only("scan_save_mem").optimize(g);
        assertTrue(scanOf(g).lastOnly(0), "after: only the last row");
        NDArray x = random(DType.FLOAT64, 3, 5, 4);
        NDArray h = random(DType.FLOAT64, 4, 4);
        NDArray want = run(reference, List.of(xs, h0), x, h)[0];
        NDArray got = run(g, List.of(xs, h0), x, h)[0];
        assertArrayEquals(want.shape(), got.shape());
        assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 0);
    }

    @Test
    void aStateAlsoReadWholeKeepsEveryRow() {
        Variable all = states();
        FunctionGraph g = FunctionGraph.clone(List.of(xs, h0), List.of(T.subtensor(all, -1L), all), Map.of());
        only("scan_save_mem").optimize(g);
        assertFalse(scanOf(g).lastOnly(0));
        assertEquals(5, run(g, List.of(xs, h0), random(DType.FLOAT64, 3, 5, 4), random(DType.FLOAT64, 4, 4))[1].dim(0));
    }
}
