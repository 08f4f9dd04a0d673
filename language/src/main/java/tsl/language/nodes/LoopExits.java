package tsl.language.nodes;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.frame.VirtualFrame;

import tsl.graph.Variable;
import tsl.language.builtins.ControlModule;
import tsl.ops.T;
import tsl.tensor.DType;

/**
 * The ways one step of a loop lowered to a Scan can end before the end of its body:
 * {@code break} and {@code continue} under ifs with symbolic conditions.
 *
 * <p>The body runs once, at build time, so an exit cannot stop it: the statements after it
 * still build graph. Each exit instead records when it is taken (a symbolic condition, the
 * conjunction of the ifs around it) and the loop-carried values at that point. At the end of
 * the body the step's results are chosen from the first exit taken, else the values at the
 * end of the body; a step that took a break also ends the scan (its {@code until}).
 */
final class LoopExits {
    /** The step being built on this thread, innermost loop first; graph building is single-threaded per step. */
    private static final ThreadLocal<LoopExits> CURRENT = new ThreadLocal<>();

    /** One exit: taken when {@code when} is true, leaving the carried names as {@code state}. */
    private record Exit(Variable when, boolean isBreak, Object[] state) {}

    private final Object loop;
    private final BoundNames bound;
    private final List<Integer> carried;
    private final LoopExits outer;
    private final List<Exit> exits = new ArrayList<>();

    private LoopExits(Object loop, BoundNames bound, List<Integer> carried, LoopExits outer) {
        this.loop = loop;
        this.bound = bound;
        this.carried = carried;
        this.outer = outer;
    }

    /** Starts collecting the exits of one step of {@code loop}; {@link #leave} ends it. */
    static LoopExits enter(Object loop, BoundNames bound, List<Integer> carried) {
        LoopExits e = new LoopExits(loop, bound, carried, CURRENT.get());
        CURRENT.set(e);
        return e;
    }

    void leave() {
        CURRENT.set(outer);
    }

    /**
     * The exits of the step being built, when {@code loop} (the loop a break or continue in
     * the caller's branches would end) is the loop whose step it is; null otherwise — a
     * Python loop nested in the body, or no lowered loop at all.
     */
    static LoopExits of(Object loop) {
        LoopExits e = CURRENT.get();
        return e != null && loop != null && e.loop == loop ? e : null;
    }

    /** A position in the list of exits, for {@link #guard}. */
    int mark() {
        return exits.size();
    }

    /** The exits added since {@code mark} sat in a branch taken only when {@code cond} holds. */
    void guard(int mark, Variable cond) {
        for (int i = mark; i < exits.size(); i++) {
            Exit e = exits.get(i);
            exits.set(i, new Exit(T.and(cond, e.when()), e.isBreak(), e.state()));
        }
    }

    /** A break (or continue) taken when {@code when} holds, with the carried names as they are in the frame now. */
    void exit(VirtualFrame frame, Variable when, boolean isBreak) {
        Object[] all = bound.readAll(frame);
        Object[] state = new Object[carried.size()];
        for (int k = 0; k < state.length; k++) {
            state[k] = all[carried.get(k)];
        }
        exits.add(new Exit(when, isBreak, state));
    }

    /**
     * Replaces the carried values in {@code after} (the values at the end of the body, indexed
     * like the loop's bound names) by those of the first exit taken, and returns the boolean
     * scalar that is true when the step took a break; null when no break is possible.
     * {@code endBreaks}: the body itself ended with an unconditional break.
     */
    Variable finish(Object[] after, boolean endBreaks) {
        Variable broke = endBreaks ? T.constant(true, DType.BOOL) : null;
        for (int i = exits.size() - 1; i >= 0; i--) {
            Exit e = exits.get(i);
            for (int k = 0; k < carried.size(); k++) {
                int slot = carried.get(k);
                if (e.state()[k] != null && after[slot] != null && e.state()[k] != after[slot]) {
                    after[slot] = ControlModule.conditional(e.when(), e.state()[k], after[slot]);
                }
            }
            if (e.isBreak() || broke != null) {
                broke = T.switchOp(e.when(), T.constant(e.isBreak(), DType.BOOL),
                        broke == null ? T.constant(false, DType.BOOL) : broke);
            }
        }
        return broke;
    }

    /** The boolean form of a symbolic condition (nonzero is true), as exits combine them. */
    static Variable truth(Variable cond) {
        return cond.dtype() == DType.BOOL ? cond : T.neq(cond, 0L);
    }
}
