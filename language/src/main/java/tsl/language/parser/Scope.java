package tsl.language.parser;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.FrameSlotKind;

/**
 * Python's scoping for one module, function or class body: which names are locals (frame
 * slots), and which are declared global or nonlocal. Class scopes are invisible to the
 * functions nested in them, as in Python.
 */
final class Scope {
    enum Kind { MODULE, FUNCTION, CLASS }

    final Kind kind;
    final Scope parent;
    final String name;
    final Map<String, Integer> slots = new LinkedHashMap<>();
    final Set<String> globals = new HashSet<>();
    final Set<String> nonlocals = new HashSet<>();
    /** A function's first positional parameter (self, for super()). */
    String firstParam;
    /**
     * The loops being built around the current statement, innermost last: each is the
     * identity a break or continue (and an if between them) is tied to.
     */
    final java.util.Deque<Object> loops = new java.util.ArrayDeque<>();
    private final FrameDescriptor.Builder frame = FrameDescriptor.newBuilder();

    Scope(Kind kind, Scope parent, String name) {
        this.kind = kind;
        this.parent = parent;
        this.name = name;
    }

    int addLocal(String n) {
        Integer s = slots.get(n);
        if (s != null) {
            return s;
        }
        int slot = frame.addSlot(FrameSlotKind.Object, n, null);
        slots.put(n, slot);
        return slot;
    }

    boolean isLocal(String n) {
        return kind != Kind.MODULE && slots.containsKey(n) && !globals.contains(n) && !nonlocals.contains(n);
    }

    FrameDescriptor build() {
        return frame.build();
    }
}
