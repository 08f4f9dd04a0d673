package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.rewrite.RewriteTesting.var;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tsl.compile.Config;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.elemwise.Elemwise;
import tsl.tensor.DType;

class EquilibriumTest {
    static {
        RewriteTesting.graph(List.of()); // loads the flags the helper sets
    }

    private static Rewrite failing() {
        return new Rewrite("always_fails", Set.of(Phase.CANONICALIZE), Set.of(), Elemwise.class, (g, n) -> {
            throw new IllegalStateException("boom");
        });
    }

    @Test
    void reachesAFixedPointThroughChains() {
        // --(--(--x)) needs the rewrite to see nodes that earlier rewrites exposed
        Variable x = var(DType.FLOAT64, "x", -1);
        Variable y = T.neg(T.neg(T.neg(T.neg(T.neg(T.neg(x))))));
        FunctionGraph g = RewriteTesting.graph(List.of(x), y);
        int n = new Equilibrium(List.of(RewriteDB.defaultDB().get("local_neg_neg"))).run(g);
        assertEquals(3, n);
        assertEquals("x", RewriteTesting.formula(g));
        assertEquals(0, g.size());
    }

    @Test
    void aFailingRewriteRaisesInTestsNamingRewriteAndNode() {
        Variable x = var(DType.FLOAT64, "x", -1);
        FunctionGraph g = RewriteTesting.graph(List.of(x), T.exp(x));
        RewriteError e = assertThrows(RewriteError.class, () -> new Equilibrium(List.of(failing())).run(g));
        assertTrue(e.getMessage().contains("always_fails"), e.getMessage());
        assertTrue(e.getMessage().contains("Elemwise{exp}"), e.getMessage());
    }

    @Test
    void aFailingRewriteIsSkippedInProduction() {
        Variable x = var(DType.FLOAT64, "x", -1);
        FunctionGraph g = RewriteTesting.graph(List.of(x), T.exp(x));
        Config.set("on_opt_error", "warn");
        try {
            assertEquals(0, new Equilibrium(List.of(failing())).run(g));
            assertEquals("exp(x)", RewriteTesting.formula(g));
        } finally {
            Config.set("on_opt_error", "raise");
        }
    }

    @Test
    void aReplacementOfTheWrongTypeIsRejected() {
        Variable x = var(DType.FLOAT64, "x", -1);
        Variable m = var(DType.FLOAT64, "m", -1, -1);
        Rewrite bad = new Rewrite("wrong_type", Set.of(Phase.CANONICALIZE), Set.of(), Elemwise.class, (g, n) -> List.of(m));
        FunctionGraph g = RewriteTesting.graph(List.of(x, m), T.exp(x));
        RewriteError e = assertThrows(RewriteError.class, () -> new Equilibrium(List.of(bad)).run(g));
        assertTrue(e.getMessage().contains("replacement of type"), e.getMessage());
    }

    @Test
    void scalesLinearlyOnALongChain() {
        // 20,000 nodes of x + 0 must all go in one run, each node visited a bounded number of times
        Variable x = var(DType.FLOAT64, "x", -1);
        Variable y = x;
        for (int i = 0; i < 20_000; i++) {
            y = T.exp(T.add(y, T.constant(0.0)));
        }
        FunctionGraph g = RewriteTesting.graph(List.of(x), y);
        int n = new Equilibrium(List.of(RewriteDB.defaultDB().get("local_mul_by_one"))).run(g);
        assertEquals(20_000, n);
        assertEquals(20_000, g.size());
    }
}
