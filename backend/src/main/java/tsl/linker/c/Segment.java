package tsl.linker.c;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.Variable;

/**
 * A run of consecutive nodes that all have C code: one C function. Its variables live in a
 * table of array descriptors: the segment's inputs first (filled in by Java), then every
 * variable it computes. A computed variable's memory is either a buffer kept from call to
 * call (never seen by Java, so reusing it is safe) or, when Java may see it — it is exported,
 * or an exported view may point into it — a fresh malloc'd buffer that Java takes over.
 */
final class Segment {
    final int id;
    final List<Apply> nodes;
    final List<Variable> inputs = new ArrayList<>();
    final List<Variable> computed = new ArrayList<>();
    final List<Variable> exports = new ArrayList<>();
    private final Map<Variable, Integer> slot = new IdentityHashMap<>();
    private final Set<Variable> fresh = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Variable, Integer> reuse = new IdentityHashMap<>();

    /**
     * @param neededOutside whether a computed variable is read after the segment (by a later
     *                      step or as a graph output)
     */
    Segment(int id, List<Apply> nodes, java.util.function.Predicate<Variable> neededOutside) {
        this.id = id;
        this.nodes = List.copyOf(nodes);
        Set<Variable> made = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Apply a : nodes) {
            made.addAll(a.outputs());
        }
        for (Apply a : nodes) {
            for (Variable v : a.inputs()) {
                if (!made.contains(v) && !slot.containsKey(v)) {
                    slot.put(v, slot.size());
                    inputs.add(v);
                }
            }
        }
        for (Apply a : nodes) {
            for (Variable v : a.outputs()) {
                slot.put(v, slot.size());
                computed.add(v);
                if (neededOutside.test(v)) {
                    exports.add(v);
                }
            }
        }
        planMemory();
    }

    /** Which computed variables need fresh memory: every buffer an exported array may point into. */
    private void planMemory() {
        Map<Variable, Set<Variable>> roots = new IdentityHashMap<>();
        for (Variable v : inputs) {
            roots.put(v, Set.of(v));
        }
        for (Apply a : nodes) {
            Storage s = Emitters.storage(a);
            for (Variable out : a.outputs()) {
                Set<Variable> r = Collections.newSetFromMap(new IdentityHashMap<>());
                if (s != Storage.VIEW) {
                    r.add(out);
                }
                if (s != Storage.OWN) {
                    r.addAll(roots.get(a.input(0)));
                }
                roots.put(out, r);
            }
        }
        for (Variable e : exports) {
            for (Variable r : roots.get(e)) {
                if (!inputs.contains(r)) {
                    fresh.add(r);
                }
            }
        }
        for (Variable v : computed) {
            if (!fresh.contains(v) && roots.get(v).contains(v)) {
                reuse.put(v, reuse.size());
            }
        }
    }

    int slot(Variable v) {
        Integer s = slot.get(v);
        if (s == null) {
            throw new IllegalStateException(v + " has no slot in segment " + id);
        }
        return s;
    }

    int slotCount() { return slot.size(); }
    boolean isFresh(Variable v) { return fresh.contains(v); }
    /** The fresh variables in slot order (the generated code must not depend on hash order). */
    List<Variable> fresh() {
        return computed.stream().filter(fresh::contains).toList();
    }
    /** The index of the kept buffer of {@code v}, or -1 when its memory is fresh. */
    int reuseBuffer(Variable v) { return reuse.getOrDefault(v, -1); }
    int reuseCount() { return reuse.size(); }
    String functionName() { return "tsl_seg" + id; }
}
