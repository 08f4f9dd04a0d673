package tsl.language.nodes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ControlFlowException;

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.language.builtins.ControlModule;
import tsl.language.runtime.Interop;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.TslError;
import tsl.ops.T;
import tsl.ops.control.IfElse;
import tsl.ops.control.InnerGraph;
import tsl.ops.control.ScanBuilder;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Python loops over symbolic values, lowered to a Scan.
 *
 * <p>{@code for x in X:} with a symbolic {@code X} scans X's first axis. {@code while c:} whose
 * condition is symbolic becomes a scan with {@code until}: the body runs, then the condition is
 * evaluated on the new values, and the loop stops once it is false; the whole loop sits in
 * an ifelse on the condition of the values before it, so that a loop whose condition is
 * false at the start runs no step (a scan with until always runs one).
 *
 * <p>Names the body rebinds that had a tensor or number value before the loop are
 * loop-carried (they become the scan's outputs_info, and after the loop hold their last
 * value); the body runs once, at build time, on placeholders. Names first bound inside the
 * loop are local to the body and are put back as they were afterwards. Free names the body
 * reads become non-sequences (ScanBuilder finds them). A break or continue, directly in the
 * body or under ifs with symbolic conditions, ends the step early ({@link LoopExits}); a break
 * also ends the scan (its until). An else clause after a loop that may break runs as an if on
 * "the last step did not break" ({@link #elseClause}): the step's break flag is carried as one
 * more state when the loop has an else clause. return cannot be lowered (the rest of the
 * function would have to become a branch): it is a NotImplementedError at the return.
 */
final class ScanLowering {
    private ScanLowering() {}

    /** Thrown out of the body when a carried value's dtype widens, to retry with widened initial values. */
    private static final class Widen extends RuntimeException {
        Widen() {
            super(null, null, false, false);
        }
    }

    /** What one kind of loop adds to the shared step: the sequence and its target, or the condition. */
    private record Loop(Variable seq, Targets.Target target, String[] targetNames, ExprNode cond, String kind, Object identity) {
        /** How messages name the loop. */
        String what() {
            return seq != null ? "for loop over a symbolic tensor" : "while loop with a symbolic condition";
        }
    }

    /**
     * Lowers a for loop over a symbolic tensor. With {@code trackBreak} (the loop has an else
     * clause) returns the boolean scalar "the loop ended with break", else null; null too when
     * no step can break.
     */
    static Variable lower(VirtualFrame frame, Variable seq, Targets.Target target, TslNode body, BoundNames bound,
                          String[] targetNames, Object identity, boolean trackBreak, TslNode where) {
        return run(frame, new Loop(seq, target, targetNames, null, "for", identity), null, body, bound, trackBreak, where);
    }

    /** Lowers a while loop with a symbolic condition; returns what {@link #lower} does. */
    static Variable lowerWhile(VirtualFrame frame, Variable firstCond, ExprNode cond, TslNode body, BoundNames bound,
                               Object identity, boolean trackBreak, TslNode where) {
        return run(frame, new Loop(null, null, new String[0], cond, "while", identity), firstCond, body, bound, trackBreak, where);
    }

    private static Variable run(VirtualFrame frame, Loop loop, Variable firstCond, TslNode body, BoundNames bound,
                                boolean trackBreak, TslNode where) {
        Object[] before = bound.readAll(frame);
        List<Integer> carried = new ArrayList<>();
        List<Variable> inits = new ArrayList<>();
        for (int i = 0; i < bound.size(); i++) {
            if (before[i] != null && isGraphValue(before[i]) && !Arrays.asList(loop.targetNames()).contains(bound.names[i])) {
                carried.add(i);
                // a Python int counter must not wrap around in a narrow dtype: it starts as int64
                inits.add(before[i] instanceof Long l ? T.constant(l, DType.INT64) : T.asTensorVariable(PyOps.toGraphOperand(before[i])));
            }
        }
        try {
            if (firstCond != null) {
                checkCondition(firstCond);
            }
            if (carried.isEmpty()) {
                throw TslError.of("ValueError", "a " + loop.what() + " must rebind a name that had a value before the loop"
                        + " (its loop state)");
            }
            if (trackBreak) {
                // one more state: whether the step broke (false before the first step, and when no step runs)
                inits.add(T.constant(false, DType.BOOL));
            }
            ScanBuilder.Result r;
            boolean[] mayBreak = new boolean[1];
            while (true) {
                try {
                    r = scan(frame, loop, body, bound, carried, inits, mayBreak);
                    break;
                } catch (Widen w) {
                    // inits were widened in place; run the body again on the wider types
                }
            }
            for (int i = 0; i < bound.size(); i++) {
                bound.restore(frame, i, before[i]);
            }
            List<Variable> last = new ArrayList<>();
            for (int k = 0; k < inits.size(); k++) {
                if (firstCond != null) {
                    // a scan with until runs at least one step (the ifelse below covers zero): its last row; read
                    // as out[-1], scan_save_mem can keep only that row, and the native backend the loop in C
                    last.add(T.subtensor(r.outputs().get(k), -1L));
                    continue;
                }
                // the last value; with an empty sequence the initial value, as a Python loop leaves it
                Variable all = T.concatenate(List.of(T.shapePadLeft(inits.get(k)), r.outputs().get(k)), 0);
                last.add(T.subtensor(all, -1L));
            }
            if (firstCond != null) {
                // a false condition at the start runs no step: the names keep their values
                last = IfElse.build(firstCond, last, inits, "while");
            }
            for (int k = 0; k < carried.size(); k++) {
                bound.assign(frame, carried.get(k), last.get(k));
            }
            if (!r.updates().isEmpty()) {
                throw TslError.of("NotImplementedError", "not supported yet: a " + loop.what() + " whose body updates"
                        + " shared variables (use scan(...) and pass its updates to function)");
            }
            return trackBreak && mayBreak[0] ? last.get(carried.size()) : null;
        } catch (TslException e) {
            throw Interop.toError(e).at(where.getSourceSection());
        } catch (TslError e) {
            throw e.at(where.getSourceSection());
        }
    }

    private static ScanBuilder.Result scan(VirtualFrame frame, Loop loop, TslNode body, BoundNames bound,
                                           List<Integer> carried, List<Variable> inits, boolean[] mayBreak) {
        List<ScanBuilder.OutputInfo> infos = new ArrayList<>();
        for (Variable init : inits) {
            infos.add(ScanBuilder.OutputInfo.of(init));
        }
        List<ScanBuilder.Sequence> seqs = loop.seq() == null ? List.of() : List.of(new ScanBuilder.Sequence(loop.seq()));
        return ScanBuilder.scan(placeholders -> {
            int p = 0;
            if (loop.target() != null) {
                loop.target().assign(frame, placeholders.get(p++));
            }
            for (int k = 0; k < carried.size(); k++) {
                bound.assign(frame, carried.get(k), placeholders.get(p + k));
            }
            LoopExits exits = LoopExits.enter(loop.identity(), bound, carried);
            boolean endBreaks = false;
            try {
                body.execute(frame);
            } catch (ControlFlow.Break e) {
                endBreaks = true;           // an unconditional break: every step is the last
            } catch (ControlFlow.Continue e) {
                // an unconditional continue: the step ends with the values it has now
            } catch (ControlFlow.Return e) {
                throw returnInLoop(e, loop.what());
            } finally {
                exits.leave();
            }
            Object[] after = bound.readAll(frame);
            Variable broke = exits.finish(after, endBreaks);
            mayBreak[0] = broke != null;
            List<Variable> outs = new ArrayList<>();
            boolean widened = false;
            for (int k = 0; k < carried.size(); k++) {
                Object v = after[carried.get(k)];
                if (v == null) {
                    throw TslError.of("NameError", "name '" + bound.names[carried.get(k)] + "' was deleted in a " + loop.what());
                }
                Variable out = T.asTensorVariable(PyOps.toGraphOperand(v));
                Variable init = inits.get(k);
                DType d = DType.promote(init.dtype(), out.dtype());
                if (d != init.dtype()) {
                    inits.set(k, T.cast(init, d));
                    widened = true;
                }
                outs.add(out.dtype() == d ? out : T.cast(out, d));
            }
            if (widened) {
                throw new Widen();
            }
            if (inits.size() > carried.size()) {
                outs.add(broke != null ? broke : T.constant(false, DType.BOOL));
            }
            Variable until = broke;
            if (loop.cond() != null) {
                // the condition is evaluated on the step's results (an exit's values, when one was taken)
                for (int k = 0; k < carried.size(); k++) {
                    bound.assign(frame, carried.get(k), outs.get(k));
                }
                Variable stop = T.eq(nextCondition(loop.cond().execute(frame), placeholders), 0L);
                until = broke == null ? stop : T.or(broke, stop);
            }
            return new ScanBuilder.Step(outs, Map.of(), until);
        }, seqs, infos, List.of(), null, -1, false, loop.kind());
    }

    /**
     * A return in the body of a lowered loop (directly or under a symbolic if): the function
     * would return at a step known only when it runs, and the code after the loop would have to
     * become the other branch; not supported yet, reported at the return.
     */
    static TslError returnInLoop(ControlFlow.Return r, String what) {
        TslError e = TslError.of("NotImplementedError", "not supported yet: return inside a " + what
                + " (assign the result to a name and return it after the loop)");
        return r.origin != null ? e.at(r.origin.getSourceSection()) : e;
    }

    /**
     * The else clause of a lowered loop that may break: Python runs it when the loop did not
     * break, which is known only when the function runs, so it is built as the branch of an if
     * on {@code broke} — its statements run once now, and every name it rebinds becomes
     * ifelse(broke, value before, value after). A break, continue or return in it is refused.
     */
    static void elseClause(VirtualFrame frame, TslNode orelse, Variable broke, BoundNames bound, TslNode where) {
        Object[] before = bound.readAll(frame);
        try {
            orelse.execute(frame);
        } catch (ControlFlowException e) {
            throw TslError.of("NotImplementedError", "not supported yet: break, continue or return in the else clause of a "
                    + "loop over symbolic values that contains break").at(where.getSourceSection());
        }
        Object[] after = bound.readAll(frame);
        try {
            for (int i = 0; i < bound.size(); i++) {
                if (before[i] == after[i]) {
                    continue;
                }
                if (before[i] == null) {
                    throw TslError.of("NameError", "name '" + bound.names[i] + "' is bound in the else clause of a loop that"
                            + " may break (over symbolic values) and has no value before the loop");
                }
                if (after[i] == null) {
                    throw TslError.of("NameError", "name '" + bound.names[i] + "' is deleted in the else clause of a loop that"
                            + " may break (over symbolic values)");
                }
                bound.assign(frame, i, ControlModule.conditional(broke, before[i], after[i]));
            }
        } catch (TslException e) {
            throw Interop.toError(e).at(where.getSourceSection());
        } catch (TslError e) {
            throw e.at(where.getSourceSection());
        }
    }

    /** The condition after a step: symbolic, scalar, and depending on the loop state (else the loop could not end). */
    private static Variable nextCondition(Object c, List<Variable> placeholders) {
        if (!(c instanceof Variable v)) {
            throw TslError.of("TypeError", "the condition of a while loop became a Python value (" + tsl.language.runtime.PyStr.repr(c)
                    + ") inside the loop; it must stay symbolic, like its first value");
        }
        checkCondition(v);
        if (InnerGraph.dependents(Set.copyOf(placeholders), List.of(v)).isEmpty()) {
            throw TslError.of("ValueError", "the condition of a while loop with a symbolic condition does not depend on any name"
                    + " the loop rebinds, so the loop could never end");
        }
        return v;
    }

    private static void checkCondition(Variable c) {
        if (c.ndim() != 0) {
            throw TslError.of("TypeError", "a while loop needs a scalar condition, got a symbolic " + c.type());
        }
    }

    private static boolean isGraphValue(Object o) {
        return o instanceof Variable || o instanceof Long || o instanceof Double || o instanceof Boolean
                || o instanceof NDArray || o instanceof NpScalar;
    }
}
