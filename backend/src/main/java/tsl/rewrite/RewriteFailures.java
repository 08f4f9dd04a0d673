package tsl.rewrite;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import tsl.compile.Config;
import tsl.graph.Apply;

/**
 * What happens when a rewrite fails: with {@code on_opt_error=raise} (tests) an error that
 * names the rewrite and the node; otherwise (the default, "warn") one warning per rewrite
 * per process and the node is left as it was; "ignore" skips silently.
 */
final class RewriteFailures {
    private static final Set<String> WARNED = Collections.synchronizedSet(new HashSet<>());

    private RewriteFailures() {}

    static void report(String rewrite, Apply node, String problem, Throwable cause) {
        String policy = Config.get("on_opt_error");
        if ("raise".equals(policy)) {
            throw new RewriteError(rewrite, node, problem, cause);
        }
        if ("ignore".equals(policy)) {
            return;
        }
        if (WARNED.add(rewrite)) {
            System.err.println("WARNING (tsl.rewrite): rewrite " + rewrite + " failed" + (node == null ? "" : " on node " + node) + " (" + problem
                    + "); it is skipped. Set the flag on_opt_error=raise to stop instead.");
        }
    }
}
