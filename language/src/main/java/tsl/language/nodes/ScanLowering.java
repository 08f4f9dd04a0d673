package tsl.language.nodes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ControlFlowException;

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.language.runtime.Interop;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.TslError;
import tsl.ops.T;
import tsl.ops.control.ScanBuilder;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * {@code for x in X:} with a symbolic {@code X}, lowered to a Scan over X's first axis. Names
 * the body rebinds that had a tensor or number value before the loop are loop-carried (they
 * become the scan's outputs_info, and after the loop hold their last value); the body runs
 * once, at build time, on placeholders. Names first bound inside the loop are local to the
 * body and are put back as they were afterwards. Free names the body reads become
 * non-sequences (ScanBuilder finds them). break/continue/return cannot be lowered.
 */
final class ScanLowering {
    private ScanLowering() {}

    /** Thrown out of the body when a carried value's dtype widens, to retry with widened initial values. */
    private static final class Widen extends RuntimeException {
        Widen() {
            super(null, null, false, false);
        }
    }

    static void lower(VirtualFrame frame, Variable seq, Targets.Target target, TslNode body, BoundNames bound,
                      String[] targetNames, TslNode where) {
        Object[] before = bound.readAll(frame);
        List<Integer> carried = new ArrayList<>();
        List<Variable> inits = new ArrayList<>();
        for (int i = 0; i < bound.size(); i++) {
            if (before[i] != null && isGraphValue(before[i]) && !Arrays.asList(targetNames).contains(bound.names[i])) {
                carried.add(i);
                // a Python int counter must not wrap around in a narrow dtype: it starts as int64
                inits.add(before[i] instanceof Long l ? T.constant(l, DType.INT64) : T.asTensorVariable(PyOps.toGraphOperand(before[i])));
            }
        }
        try {
            ScanBuilder.Result r;
            while (true) {
                try {
                    r = scan(frame, seq, target, body, bound, carried, inits, where);
                    break;
                } catch (Widen w) {
                    // inits were widened in place; run the body again on the wider types
                }
            }
            for (int i = 0; i < bound.size(); i++) {
                bound.restore(frame, i, before[i]);
            }
            for (int k = 0; k < carried.size(); k++) {
                // the last value; with an empty sequence the initial value, as a Python loop leaves it
                Variable all = T.concatenate(List.of(T.shapePadLeft(inits.get(k)), r.outputs().get(k)), 0);
                bound.assign(frame, carried.get(k), T.subtensor(all, -1L));
            }
            if (!r.updates().isEmpty()) {
                throw TslError.of("NotImplementedError", "not supported yet: a symbolic for loop whose body updates shared variables"
                        + " (use scan(...) and pass its updates to function)");
            }
        } catch (TslException e) {
            throw Interop.toError(e).at(where.getSourceSection());
        } catch (TslError e) {
            throw e.at(where.getSourceSection());
        }
    }

    private static ScanBuilder.Result scan(VirtualFrame frame, Variable seq, Targets.Target target, TslNode body, BoundNames bound,
                                           List<Integer> carried, List<Variable> inits, TslNode where) {
        List<ScanBuilder.OutputInfo> infos = new ArrayList<>();
        for (Variable init : inits) {
            infos.add(ScanBuilder.OutputInfo.of(init));
        }
        return ScanBuilder.scan(placeholders -> {
            target.assign(frame, placeholders.get(0));
            for (int k = 0; k < carried.size(); k++) {
                bound.assign(frame, carried.get(k), placeholders.get(1 + k));
            }
            try {
                body.execute(frame);
            } catch (ControlFlowException e) {
                throw TslError.of("NotImplementedError", "not supported yet: break, continue or return in a for loop over a symbolic"
                        + " tensor");
            }
            Object[] after = bound.readAll(frame);
            List<Variable> outs = new ArrayList<>();
            boolean widened = false;
            for (int k = 0; k < carried.size(); k++) {
                Object v = after[carried.get(k)];
                if (v == null) {
                    throw TslError.of("NameError", "name '" + bound.names[carried.get(k)] + "' was deleted in a symbolic for loop");
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
            return new ScanBuilder.Step(outs, Map.of(), null);
        }, List.of(new ScanBuilder.Sequence(seq)), infos, List.of(), null, -1, false, "for");
    }

    private static boolean isGraphValue(Object o) {
        return o instanceof Variable || o instanceof Long || o instanceof Double || o instanceof Boolean
                || o instanceof NDArray || o instanceof NpScalar;
    }
}
