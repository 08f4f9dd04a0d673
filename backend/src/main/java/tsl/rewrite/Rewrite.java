package tsl.rewrite;

import java.util.Set;

import tsl.graph.Op;

/**
 * A named local rewrite in the database: the phases it runs in, its tags (the optimizer
 * names "fast_run"/"fast_compile" and any group names) and the op class it looks at
 * ({@code null} for every node), which lets the driver skip it cheaply elsewhere.
 */
public record Rewrite(String name, Set<Phase> phases, Set<String> tags, Class<? extends Op> tracks, NodeRewriter rewriter) {

    public boolean hasAnyTag(Set<String> names) {
        if (names.contains(name)) {
            return true;
        }
        for (String t : tags) {
            if (names.contains(t)) {
                return true;
            }
        }
        for (Phase p : phases) {
            if (names.contains(p.tag())) {
                return true;
            }
        }
        return false;
    }
}
