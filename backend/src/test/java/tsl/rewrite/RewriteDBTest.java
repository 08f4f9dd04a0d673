package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tsl.compile.Config;
import tsl.graph.TslException;

class RewriteDBTest {
    private final RewriteDB db = RewriteDB.defaultDB();

    @Test
    void fastRunHasEveryPhaseAndFusion() {
        List<String> names = db.query("fast_run", Set.of(), Set.of()).rewriteNames();
        assertTrue(names.contains("constant_folding"));
        assertTrue(names.contains("local_log_sigmoid"));
        assertTrue(names.contains("local_pow_specialize"));
        assertTrue(names.contains("elemwise_fusion"));
    }

    @Test
    void fastCompileHasOnlyCheapRewrites() {
        List<String> names = db.query("FAST_COMPILE", Set.of(), Set.of()).rewriteNames();
        assertTrue(names.contains("constant_folding"));
        assertTrue(names.contains("local_useless_elemwise"));
        assertFalse(names.contains("local_log_sigmoid"));
        assertFalse(names.contains("elemwise_fusion"));
        assertFalse(names.contains("local_dot_to_gemv_gemm"));
    }

    @Test
    void noneRunsNothing() {
        assertTrue(db.query("None", Set.of(), Set.of()).isEmpty());
        assertTrue(db.query(null, Set.of(), Set.of()).isEmpty());
    }

    @Test
    void excludingByNameOrPhaseTag() {
        List<String> noFusion = db.query("fast_run", Set.of(), Set.of("fusion")).rewriteNames();
        assertFalse(noFusion.contains("elemwise_fusion"));
        List<String> noStabilize = db.query("fast_run", Set.of(), Set.of("stabilize")).rewriteNames();
        assertFalse(noStabilize.contains("local_log_sigmoid"));
        assertTrue(noStabilize.contains("local_pow_specialize"));
        // constant folding runs in the stabilize phase too, but also in others: excluding a phase tag removes it
        List<String> one = db.query("fast_run", Set.of(), Set.of("local_expm1")).rewriteNames();
        assertFalse(one.contains("local_expm1"));
        assertTrue(one.contains("local_log1p"));
    }

    @Test
    void includingAddsToAnEmptyOptimizer() {
        List<String> names = db.query("None", Set.of("local_pow_specialize"), Set.of()).rewriteNames();
        assertEquals(List.of("local_pow_specialize"), names);
    }

    @Test
    void configFlagsApply() {
        Config.set("optimizer_excluding", "local_log1p:fusion");
        try {
            List<String> names = Optimizer.forMode("fast_run").rewriteNames();
            assertFalse(names.contains("local_log1p"));
            assertFalse(names.contains("elemwise_fusion"));
            assertTrue(names.contains("local_expm1"));
        } finally {
            Config.set("optimizer_excluding", "");
        }
    }

    @Test
    void unknownOptimizerIsAnError() {
        TslException e = assertThrows(TslException.class, () -> db.query("fastest", Set.of(), Set.of()));
        assertTrue(e.getMessage().contains("unknown optimizer 'fastest'"), e.getMessage());
    }

    @Test
    void namesAreUnique() {
        assertThrows(IllegalStateException.class, () -> db.register(db.get("local_expm1")));
    }
}
