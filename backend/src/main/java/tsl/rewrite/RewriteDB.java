package tsl.rewrite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Op;
import tsl.graph.TslException;

/**
 * The database of rewrites (Theano's optdb): every rewrite registered once with its phases
 * and tags, queried by optimizer name and the including/excluding tag lists. Registration
 * order is the order rewrites are tried on a node within a phase.
 */
public final class RewriteDB {
    public static final String FAST_RUN = "fast_run";
    public static final String FAST_COMPILE = "fast_compile";

    private final Map<String, Rewrite> local = new LinkedHashMap<>();
    private final Map<String, GlobalRewrite> global = new LinkedHashMap<>();

    private static final RewriteDB DEFAULT = createDefault();

    public static RewriteDB defaultDB() {
        return DEFAULT;
    }

    private static RewriteDB createDefault() {
        RewriteDB db = new RewriteDB();
        ConstantFolding.register(db);
        ShapeRewrites.register(db);
        Canonicalize.register(db);
        Stabilize.register(db);
        Specialize.register(db);
        db.local("scan_save_mem", Phase.SPECIALIZE, tsl.ops.control.Scan.class, tsl.ops.control.ScanSaveMem::transform, FAST_RUN,
                "scan_save_mem");
        db.local("scan_remove_unused_outputs", Phase.SPECIALIZE, tsl.ops.control.Scan.class, tsl.ops.control.ScanPrune::transform,
                FAST_RUN, "scan");
        db.local("scan_pushout_outer", Phase.SPECIALIZE, tsl.ops.control.Scan.class, tsl.ops.control.ScanPushoutOuter::transform,
                FAST_RUN, "scan", "scan_pushout");
        db.local("scan_pushout_seqs_ops", Phase.SPECIALIZE, tsl.ops.control.Scan.class, tsl.ops.control.ScanPushoutSeqDot::transform,
                FAST_RUN, "scan", "scan_pushout");
        db.local("scan_inner_optimize", Phase.FUSION, tsl.ops.control.Scan.class, ScanInnerOptimize::transform, FAST_RUN, "scan");
        db.local("ifelse_inner_optimize", Phase.FUSION, tsl.ops.control.IfElse.class, IfElseInnerOptimize::transform, FAST_RUN,
                "ifelse");
        db.local("scan_pushout_non_seqs", Phase.FUSION, tsl.ops.control.Scan.class, tsl.ops.control.ScanHoist::transform, FAST_RUN,
                "scan", "scan_pushout");
        db.register(new GlobalRewrite("elemwise_fusion", Phase.FUSION, Set.of(FAST_RUN, "fusion"), Fusion::run));
        db.register(new GlobalRewrite("inplace_elemwise", Phase.INPLACE, Set.of(FAST_RUN, "inplace"), Inplace::elemwise));
        db.register(new GlobalRewrite("inplace_setsubtensor", Phase.INPLACE, Set.of(FAST_RUN, "inplace"), Inplace::incSubtensor));
        // after elemwise_fusion (same phase, registration order): it reads the fused loops
        db.register(new GlobalRewrite(GemvForwardBackwardFusion.NAME, Phase.FUSION, Set.of(FAST_RUN, "gemv_forward_backward"),
                GemvForwardBackwardFusion::run));
        return db;
    }

    public void register(Rewrite r) {
        if (local.putIfAbsent(r.name(), r) != null || global.containsKey(r.name())) {
            throw new IllegalStateException("rewrite " + r.name() + " registered twice");
        }
    }

    public void register(GlobalRewrite r) {
        if (global.putIfAbsent(r.name(), r) != null || local.containsKey(r.name())) {
            throw new IllegalStateException("rewrite " + r.name() + " registered twice");
        }
    }

    /** Convenience: a local rewrite of one phase. */
    public void local(String name, Phase phase, Class<? extends Op> tracks, NodeRewriter rw, String... tags) {
        register(new Rewrite(name, Set.of(phase), Set.of(tags), tracks, rw));
    }

    public Rewrite get(String name) {
        return local.get(name);
    }

    public List<Rewrite> locals() {
        return List.copyOf(local.values());
    }

    /**
     * The rewrites an optimizer runs: those tagged with its name, plus those tagged with any
     * {@code including} tag, minus those tagged with any {@code excluding} tag. A rewrite's
     * own name and its phase names count as tags. "merge" names the merge pass.
     */
    public Optimizer query(String optimizer, Set<String> including, Set<String> excluding) {
        String base = baseTag(optimizer);
        List<Rewrite> rs = new ArrayList<>();
        for (Rewrite r : local.values()) {
            boolean in = (base != null && r.tags().contains(base)) || r.hasAnyTag(including);
            if (in && !r.hasAnyTag(excluding)) {
                rs.add(r);
            }
        }
        List<GlobalRewrite> gs = new ArrayList<>();
        for (GlobalRewrite g : global.values()) {
            boolean in = (base != null && g.tags().contains(base)) || g.hasAnyTag(including);
            if (in && !g.hasAnyTag(excluding)) {
                gs.add(g);
            }
        }
        boolean merge = (base != null || including.contains("merge")) && !excluding.contains("merge");
        if ("merge".equals(base)) {
            rs.clear();
            gs.clear();
        }
        return new Optimizer(rs, gs, merge);
    }

    private static String baseTag(String optimizer) {
        if (optimizer == null) {
            return null;
        }
        return switch (optimizer) {
            case "None", "none", "" -> null;
            case "fast_run", "FAST_RUN", "default", "o4", "stabilize" -> FAST_RUN;
            case "fast_compile", "FAST_COMPILE", "o1" -> FAST_COMPILE;
            case "merge" -> "merge";
            default -> throw TslException.valueError("unknown optimizer '" + optimizer
                    + "' (expected fast_run, fast_compile, merge or None)");
        };
    }

    static Set<String> tags(String csv) {
        if (csv == null || csv.isBlank()) {
            return Collections.emptySet();
        }
        Set<String> s = new java.util.LinkedHashSet<>();
        for (String t : csv.split("[:,\\s]+")) {
            if (!t.isEmpty()) {
                s.add(t);
            }
        }
        return s;
    }
}
