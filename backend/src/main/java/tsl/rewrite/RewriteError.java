package tsl.rewrite;

import tsl.graph.Apply;
import tsl.graph.TslException;

/**
 * A rewrite that failed (threw, or returned replacements of the wrong type). Raised only
 * when the flag {@code on_opt_error=raise} is set (tests); otherwise the rewrite is skipped
 * with one warning, since a missed optimization never changes a result.
 */
public final class RewriteError extends TslException {
    public RewriteError(String rewrite, Apply node, String problem, Throwable cause) {
        super("RuntimeError", "rewrite " + rewrite + " failed" + (node == null ? "" : " on node " + node) + ": " + problem,
                node == null ? null : node.location(), cause);
    }
}
