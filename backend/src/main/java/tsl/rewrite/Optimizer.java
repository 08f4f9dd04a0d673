package tsl.rewrite;

import java.util.ArrayList;
import java.util.List;

import tsl.compile.Config;
import tsl.graph.FunctionGraph;

/**
 * A selection of rewrites from the database, ready to run on a graph: merge, then each
 * phase (its local rewrites to a fixed point, its global rewrites, merge again).
 */
public final class Optimizer {
    private final List<Rewrite> locals;
    private final List<GlobalRewrite> globals;
    private final boolean merge;

    Optimizer(List<Rewrite> locals, List<GlobalRewrite> globals, boolean merge) {
        this.locals = List.copyOf(locals);
        this.globals = List.copyOf(globals);
        this.merge = merge;
    }

    /**
     * The optimizer a mode names, with the flags optimizer_including / optimizer_excluding applied.
     * The flag {@code optimizer} (fast_run, fast_compile, merge, None) replaces fast_run.
     */
    public static Optimizer forMode(String optimizerName) {
        String flag = Config.get("optimizer");
        if (flag != null && RewriteDB.FAST_RUN.equals(optimizerName)) {
            optimizerName = flag; // Theano's optimizer flag sets what the default mode runs
        }
        return RewriteDB.defaultDB().query(optimizerName, RewriteDB.tags(Config.get("optimizer_including")),
                RewriteDB.tags(Config.get("optimizer_excluding")));
    }

    public List<String> rewriteNames() {
        List<String> n = new ArrayList<>();
        for (Rewrite r : locals) {
            n.add(r.name());
        }
        for (GlobalRewrite g : globals) {
            n.add(g.name());
        }
        return n;
    }

    public boolean isEmpty() {
        return locals.isEmpty() && globals.isEmpty() && !merge;
    }

    /** Rewrites {@code graph} in place. */
    public void optimize(FunctionGraph graph) {
        if (merge) {
            Merge.run(graph);
        }
        for (Phase phase : Phase.values()) {
            List<Rewrite> rs = new ArrayList<>();
            for (Rewrite r : locals) {
                if (r.phases().contains(phase)) {
                    rs.add(r);
                }
            }
            boolean ran = false;
            if (!rs.isEmpty()) {
                new Equilibrium(rs).run(graph);
                ran = true;
            }
            for (GlobalRewrite g : globals) {
                if (g.phase() == phase) {
                    try {
                        g.pass().accept(graph);
                    } catch (RewriteError e) {
                        throw e;
                    } catch (RuntimeException e) {
                        RewriteFailures.report(g.name(), null, e.toString(), e);
                    }
                    ran = true;
                }
            }
            if (ran && merge) {
                Merge.run(graph);
            }
        }
    }
}
