package tsl.ops.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;

/**
 * Theano's {@code scan(fn, sequences, outputs_info, non_sequences, n_steps, truncate_gradient,
 * go_backwards)}: calls {@code fn} once on symbolic placeholders to learn the loop body, finds
 * the outer variables the body reads (whether passed as non-sequences or not), turns shared
 * variables the body updates into loop states, and builds one {@link Scan} node.
 */
public final class ScanBuilder {
    private ScanBuilder() {}

    /** A sequence and the taps (offsets from the current step) the body reads of it. */
    public record Sequence(Variable input, int[] taps) {
        public Sequence(Variable input) {
            this(input, new int[] {0});
        }
    }

    /** An entry of outputs_info: an initial value and the (negative) taps, or no initial value for a per-step output. */
    public record OutputInfo(Variable initial, int[] taps) {
        public static OutputInfo none() {
            return new OutputInfo(null, new int[0]);
        }

        public static OutputInfo of(Variable initial) {
            return new OutputInfo(initial, new int[] {-1});
        }
    }

    /** What the body returned: its outputs, updates of shared variables, and a stop condition (or null). */
    public record Step(List<Variable> outputs, Map<SharedVariable, Variable> updates, Variable until) {}

    /** What scan returns: one variable per output (all steps), and the updates to pass to function(). */
    public record Result(List<Variable> outputs, Map<SharedVariable, Variable> updates) {}

    public static Result scan(Function<List<Variable>, Step> fn, List<Sequence> sequences, List<OutputInfo> outputsInfo,
                              List<Variable> nonSequences, Variable nSteps, int truncateGradient, boolean goBackwards,
                              String name) {
        return scan(fn, sequences, outputsInfo, nonSequences, nSteps, truncateGradient, goBackwards, name, false);
    }

    /** With {@code strict}, the body may read no graph input or shared variable that is not among the non-sequences. */
    public static Result scan(Function<List<Variable>, Step> fn, List<Sequence> sequences, List<OutputInfo> outputsInfo,
                              List<Variable> nonSequences, Variable nSteps, int truncateGradient, boolean goBackwards,
                              String name, boolean strict) {
        if (nSteps != null && (nSteps.ndim() != 0 || !nSteps.dtype().isInteger())) {
            throw TslException.typeError("scan: n_steps must be an integer scalar, got " + nSteps.type());
        }
        // sequences: one aligned slice per tap, so that step t reads row t of each
        List<Variable> seqSlices = new ArrayList<>();
        List<Variable> args = new ArrayList<>();
        Map<Variable, Variable> fixed = new LinkedHashMap<>();
        for (Sequence s : sequences) {
            Variable x = s.input();
            if (x.ndim() == 0) {
                throw TslException.valueError("scan: a sequence must have at least one dimension, got " + x.type());
            }
            if (goBackwards) {
                x = T.subtensor(x, T.slice(null, null, -1));
            }
            int lo = Arrays.stream(s.taps()).min().orElseThrow(() -> TslException.valueError("scan: a sequence needs taps"));
            int hi = Arrays.stream(s.taps()).max().getAsInt();
            for (int tap : s.taps()) {
                int start = tap - lo;
                Integer stop = hi - tap == 0 ? null : -(hi - tap);
                Variable slice = start == 0 && stop == null ? x : T.subtensor(x, T.slice(start, stop, null));
                seqSlices.add(slice);
                Variable p = new Variable(Scan.rowType(x.type()), placeholderName(s.input(), tap));
                fixed.put(p, p);
                args.add(p);
            }
        }
        // recurrent outputs: one placeholder per tap; their initial values as (rows, element...) arrays
        List<Variable> inits = new ArrayList<>();
        List<TensorType> elemTypes = new ArrayList<>();
        List<int[]> tapList = new ArrayList<>();
        List<Integer> stateOf = new ArrayList<>(); // per user output: state index, or -1 for a per-step output
        for (OutputInfo info : outputsInfo) {
            if (info.initial() == null || info.taps().length == 0) {
                stateOf.add(-1);
                continue;
            }
            int depth = 0;
            for (int tap : info.taps()) {
                if (tap >= 0) {
                    throw TslException.valueError("scan: taps of an output must be negative (past steps), got " + tap);
                }
                depth = Math.max(depth, -tap);
            }
            Variable init = info.initial();
            // taps [-1] alone (Theano's sit_sot): the initial value is the state itself, not rows of states
            boolean single = info.taps().length == 1 && info.taps()[0] == -1;
            TensorType elem = single ? init.type() : rowTypeChecked(init, depth);
            inits.add(single ? T.shapePadLeft(init) : init);
            elemTypes.add(elem);
            stateOf.add(tapList.size());
            tapList.add(info.taps().clone());
            for (int tap : info.taps()) {
                Variable p = new Variable(elem, init.name() == null ? null : init.name() + "[t" + tap + "]");
                fixed.put(p, p);
                args.add(p);
            }
        }
        args.addAll(nonSequences);
        Step step = fn.apply(Collections.unmodifiableList(args));
        List<Variable> outs = step.outputs();
        if (!outputsInfo.isEmpty() && outs.size() != outputsInfo.size()) {
            throw TslException.valueError("scan: the step function returned " + outs.size() + " outputs but outputs_info has "
                    + outputsInfo.size() + " entries (use None for an output that does not feed back into the loop)");
        }
        while (stateOf.size() < outs.size()) {
            stateOf.add(-1);
        }
        if (outs.isEmpty() && step.updates().isEmpty()) {
            throw TslException.valueError("scan: the step function returned no outputs");
        }
        // states first (user order), then shared variables the body updates, then per-step outputs
        List<Variable> innerOuts = new ArrayList<>();
        for (int k = 0; k < outs.size(); k++) {
            int j = stateOf.get(k);
            if (j >= 0) {
                checkState(elemTypes.get(j), outs.get(k), k);
                innerOuts.add(outs.get(k));
            }
        }
        List<Variable> stateInits = new ArrayList<>(inits);
        List<SharedVariable> shared = new ArrayList<>(step.updates().keySet());
        for (SharedVariable sv : shared) {
            Variable upd = step.updates().get(sv);
            if (upd.dtype() != sv.dtype() || upd.ndim() != sv.ndim()) {
                throw TslException.typeError("scan: the update of shared variable " + sv + " has type " + upd.type()
                        + ", but the variable is " + sv.type());
            }
            Variable p = new Variable(sv.type(), sv.name());
            fixed.put(sv, p);
            tapList.add(new int[] {-1});
            stateInits.add(T.shapePadLeft(sv));
            innerOuts.add(upd);
        }
        for (int k = 0; k < outs.size(); k++) {
            if (stateOf.get(k) < 0) {
                innerOuts.add(outs.get(k));
            }
        }
        Variable until = step.until();
        // with until() and nothing else bounding it, the loop is a while loop: it runs until the condition holds
        if (sequences.isEmpty() && nSteps == null && until == null) {
            throw TslException.valueError("No information about the number of steps provided. Either provide a value for"
                    + " n_steps argument of scan or provide an input sequence");
        }
        if (until != null && until.ndim() != 0) {
            throw TslException.typeError("scan: the condition of until() must be a scalar, got " + until.type());
        }
        List<Variable> nodeOuts = makeNode(fixed, seqSlices, stateInits, tapList, innerOuts, until,
                nSteps == null ? null : T.cast(nSteps, DType.INT64), truncateGradient, name);
        if (strict) {
            checkStrict(nodeOuts.get(0).owner().inputs().subList(1 + seqSlices.size() + stateInits.size(),
                    nodeOuts.get(0).owner().inputs().size()), nonSequences);
        }
        List<Variable> result = new ArrayList<>();
        int nUserStates = inits.size();
        int nit = 0;
        for (int k = 0; k < outs.size(); k++) {
            int j = stateOf.get(k);
            result.add(j >= 0 ? nodeOuts.get(j) : nodeOuts.get(tapList.size() + nit++));
        }
        Map<SharedVariable, Variable> updates = new LinkedHashMap<>();
        for (int s = 0; s < shared.size(); s++) {
            updates.put(shared.get(s), T.subtensor(nodeOuts.get(nUserStates + s), -1));
        }
        return new Result(result, updates);
    }

    /**
     * Builds the Scan node. {@code fixed} maps what the body mentions to the inner inputs
     * (sequence rows, then state taps in state and tap order, then replaced shared variables);
     * {@code innerOuts} are the new state values, then the per-step outputs. Every other outer
     * variable the body reads becomes a non-sequence.
     */
    static List<Variable> makeNode(Map<Variable, Variable> fixed, List<Variable> seqs, List<Variable> stateInits, List<int[]> taps,
                                   List<Variable> innerOuts, Variable until, Variable nSteps, int truncateGradient, String name) {
        List<Variable> all = new ArrayList<>(innerOuts);
        if (until != null) {
            all.add(until);
        }
        Set<Variable> inner = InnerGraph.dependents(fixed.keySet(), all);
        InnerGraph.Capture cap = InnerGraph.capture(fixed, all, v -> !inner.contains(v));
        List<Variable> nodeInputs = new ArrayList<>();
        nodeInputs.add(nSteps == null ? T.constant(-1L, DType.INT64) : nSteps);
        nodeInputs.addAll(seqs);
        nodeInputs.addAll(stateInits);
        nodeInputs.addAll(cap.outerInputs());
        List<TensorType> types = new ArrayList<>();
        for (Variable v : nodeInputs) {
            types.add(v.type());
        }
        int nNitSot = innerOuts.size() - taps.size();
        Scan op = new Scan(cap.graph(), seqs.size(), taps.toArray(new int[0][]), nNitSot, until != null, nSteps != null,
                truncateGradient, name, types);
        return op.makeNode(nodeInputs).outputs();
    }

    private static void checkStrict(List<Variable> captured, List<Variable> nonSequences) {
        Set<Variable> allowed = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        allowed.addAll(nonSequences);
        java.util.ArrayDeque<Variable> stack = new java.util.ArrayDeque<>(captured);
        Set<Variable> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!stack.isEmpty()) {
            Variable v = stack.pop();
            if (!seen.add(v) || allowed.contains(v) || v instanceof tsl.graph.Constant) {
                continue;
            }
            if (v.owner() == null) {
                throw new TslException("MissingInputError", "scan(strict=True): the step function uses " + v
                        + ", which is not among the non_sequences; pass it as a non-sequence or use strict=False");
            }
            v.owner().inputs().forEach(stack::push);
        }
    }

    private static String placeholderName(Variable seq, int tap) {
        if (seq.name() == null) {
            return null;
        }
        return seq.name() + (tap == 0 ? "[t]" : tap > 0 ? "[t+" + tap + "]" : "[t" + tap + "]");
    }

    private static TensorType rowTypeChecked(Variable init, int depth) {
        if (init.ndim() == 0) {
            throw TslException.valueError("scan: an output with taps reaching back " + depth + " steps needs an initial value"
                    + " with at least " + depth + " rows, got a scalar");
        }
        return Scan.rowType(init.type());
    }

    /** Theano's rule: what the body returns for a state must have the type of the state's initial value. */
    private static void checkState(TensorType elem, Variable out, int k) {
        if (out.dtype() != elem.dtype()) {
            throw TslException.typeError("scan: the initial state (outputs_info) of output " + k + " has dtype " + elem.dtype()
                    + ", while the result of the step function (fn) has dtype " + out.dtype() + ". This can happen if the"
                    + " inner function of scan results in an upcast or downcast; cast the initial state or the result.");
        }
        if (out.ndim() != elem.ndim()) {
            throw TslException.valueError("scan: the initial state (outputs_info) of output " + k + " has " + elem.ndim()
                    + " dimensions (per step), while the result of the step function (fn) has " + out.ndim());
        }
    }
}
