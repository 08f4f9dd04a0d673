package tsl.rewrite;

import java.util.Set;
import java.util.function.Consumer;

import tsl.graph.FunctionGraph;

/** A rewrite that looks at the whole graph at once (elementwise fusion), run once at the end of its phase. */
public record GlobalRewrite(String name, Phase phase, Set<String> tags, Consumer<FunctionGraph> pass) {

    public boolean hasAnyTag(Set<String> names) {
        if (names.contains(name) || names.contains(phase.tag())) {
            return true;
        }
        for (String t : tags) {
            if (names.contains(t)) {
                return true;
            }
        }
        return false;
    }
}
