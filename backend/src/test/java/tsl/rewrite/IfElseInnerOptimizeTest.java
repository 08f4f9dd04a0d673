package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.rewrite.RewriteTesting.only;
import static tsl.rewrite.RewriteTesting.run;
import static tsl.rewrite.RewriteTesting.var;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.control.IfElse;
import tsl.ops.control.Scan;
import tsl.ops.control.ScanBuilder;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** "ifelse_inner_optimize": the optimizer runs inside each branch, and nothing leaves it. */
class IfElseInnerOptimizeTest {
    private final Variable x = var(DType.FLOAT64, "x");

    /** What a Python while loop with a symbolic condition lowers to: doubling x until it reaches 100. */
    private List<Variable> whileLoop() {
        Variable all = ScanBuilder.scan(a -> new ScanBuilder.Step(List.of(T.mul(a.get(0), 2.0)), Map.of(),
                T.ge(T.mul(a.get(0), 2.0), 100.0)), List.of(), List.of(ScanBuilder.OutputInfo.of(x)), List.of(), null, -1, false,
                "doubling").outputs().get(0);
        return IfElse.build(T.lt(x, 100.0), List.of(T.subtensor(all, -1L)), List.of(T.mul(x, 1.0)), "while");
    }

    private static IfElse ifelse(FunctionGraph g) {
        return g.toposort().stream().map(Apply::op).filter(o -> o instanceof IfElse).map(o -> (IfElse) o).findFirst().orElseThrow();
    }

    private static Scan scanIn(tsl.ops.control.InnerGraph branch) {
        return branch.graph().toposort().stream().map(Apply::op).filter(o -> o instanceof Scan).map(o -> (Scan) o)
                .findFirst().orElseThrow();
    }

    @Test
    void aScanOnlyTheBranchReadsKeepsItsLastRow() {
        List<Variable> in = List.of(x);
        List<Variable> out = whileLoop();
        FunctionGraph before = FunctionGraph.clone(in, out, Map.of());
        assertFalse(ifelse(before).branchesOptimized());
        assertFalse(scanIn(ifelse(before).thenGraph()).lastOnly(0), "before: the whole history");
        FunctionGraph g = FunctionGraph.clone(in, out, Map.of());
        only("ifelse_inner_optimize").optimize(g);
        IfElse after = ifelse(g);
        assertTrue(after.branchesOptimized());
        assertTrue(scanIn(after.thenGraph()).lastOnly(0), "after: scan_save_mem ran inside the branch");
        // the else branch was optimized too: x * 1.0 is x
        assertTrue(after.elseGraph().graph().toposort().isEmpty(), after.elseGraph().graph().toposort().toString());
        // nothing moved out of the branches
        assertEquals(0, g.toposort().stream().filter(a -> a.op() instanceof Scan).count(), "no scan outside the ifelse");
        for (double v : new double[] {3.0, 99.0, 150.0, 0.75}) {
            NDArray want = run(before, in, NDArray.scalar(v, DType.FLOAT64))[0];
            NDArray got = run(g, in, NDArray.scalar(v, DType.FLOAT64))[0];
            assertEquals(want.getDouble(0), got.getDouble(0), 0.0, "x = " + v);
        }
        assertEquals(192.0, run(g, in, NDArray.scalar(3.0, DType.FLOAT64))[0].getDouble(0));
        assertEquals(150.0, run(g, in, NDArray.scalar(150.0, DType.FLOAT64))[0].getDouble(0));
    }

    @Test
    void theBranchesAreOptimizedOnce() {
        FunctionGraph g = FunctionGraph.clone(List.of(x), whileLoop(), Map.of());
        only("ifelse_inner_optimize").optimize(g);
        IfElse first = ifelse(g);
        only("ifelse_inner_optimize").optimize(g);
        assertTrue(first == ifelse(g), "a second pass leaves the optimized node alone");
    }
}
