package tsl.ops.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tsl.compile.Cancellation;
import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * Theano's {@code Scan}: a loop whose body is an {@link InnerGraph}, linked once and run once
 * per step.
 *
 * <p>Node inputs: {@code [n_steps, sequences..., initial states..., non-sequences...]}.
 * Sequences are already aligned (taps and {@code go_backwards} are slices built by
 * {@link ScanBuilder}): step t reads row t of each. State j has negative taps; its initial
 * value has at least K_j = max(-tap) rows, row r standing for the value at step r - K_j.
 * Inner inputs: one per sequence, one per state tap (state order, tap order), one per
 * non-sequence. Inner outputs: the new value of each state, then each per-step output
 * (Theano's nit_sot), then optionally the stop condition ({@code until}).
 * Node outputs: for each state and each per-step output, the values of all steps run
 * (initial rows excluded). With a stop condition the loop ends after the first step whose
 * condition is true, and the outputs are as long as the steps run.
 */
public final class Scan implements Op {
    private final InnerGraph inner;
    private final int nSeqs;
    private final int[][] taps;
    private final int nNitSot;
    private final int nNonSeqs;
    private final boolean hasUntil;
    private final boolean stepsGiven;
    private final int truncateGradient;
    private final String name;
    private final List<TensorType> outputTypes;
    private final List<TensorType> inputTypes;
    /** Per state: keep only the last row (set by {@link ScanSaveMem} where nothing reads more). */
    private final boolean[] lastOnly;
    /** Whether the step's graph has been through the optimizer ({@link tsl.rewrite.ScanInnerOptimize}). */
    private final boolean innerOptimized;

    Scan(InnerGraph inner, int nSeqs, int[][] taps, int nNitSot, boolean hasUntil, boolean stepsGiven,
         int truncateGradient, String name, List<TensorType> inputTypes) {
        this.inner = inner;
        this.nSeqs = nSeqs;
        this.taps = taps;
        this.nNitSot = nNitSot;
        this.hasUntil = hasUntil;
        this.stepsGiven = stepsGiven;
        this.truncateGradient = truncateGradient;
        this.name = name;
        this.inputTypes = List.copyOf(inputTypes);
        int nTaps = 0;
        for (int[] t : taps) {
            nTaps += t.length;
        }
        this.nNonSeqs = inner.inputs().size() - nSeqs - nTaps;
        List<TensorType> outs = new ArrayList<>();
        List<Variable> innerOuts = inner.outputs();
        for (int j = 0; j < taps.length + nNitSot; j++) {
            TensorType t = innerOuts.get(j).type();
            if (j < taps.length) {
                TensorType init = inputTypes.get(1 + nSeqs + j);
                t = BranchTypes.join(t, rowType(init));
            }
            outs.add(withLeading(t, TensorType.UNKNOWN));
        }
        this.outputTypes = List.copyOf(outs);
        this.lastOnly = new boolean[taps.length];
        this.innerOptimized = false;
    }

    private Scan(Scan s, boolean[] lastOnly) {
        this(s, lastOnly, s.inner, s.innerOptimized);
    }

    private Scan(Scan s, boolean[] lastOnly, InnerGraph inner, boolean innerOptimized) {
        this.inner = inner;
        this.nSeqs = s.nSeqs;
        this.taps = s.taps;
        this.nNitSot = s.nNitSot;
        this.nNonSeqs = s.nNonSeqs;
        this.hasUntil = s.hasUntil;
        this.stepsGiven = s.stepsGiven;
        this.truncateGradient = s.truncateGradient;
        this.name = s.name;
        this.outputTypes = s.outputTypes;
        this.inputTypes = s.inputTypes;
        this.lastOnly = lastOnly.clone();
        this.innerOptimized = innerOptimized;
    }

    /**
     * The same loop over an optimized copy of its step (the same inputs and outputs, in the
     * same order, computing the same values).
     */
    public Scan withOptimizedInner(InnerGraph optimized) {
        if (optimized.inputs().size() != inner.inputs().size() || optimized.outputs().size() != inner.outputs().size()) {
            throw new IllegalArgumentException("withOptimizedInner: the step's inputs or outputs changed");
        }
        return new Scan(this, lastOnly, optimized, true);
    }

    /** The same loop, marked as having an optimized step (a rewrite built it from one). */
    Scan markedInnerOptimized() {
        return new Scan(this, lastOnly, inner, true);
    }

    /**
     * This loop's settings (taps, kept rows, until, steps, truncation, name, optimized or not)
     * over another step that reads {@code nSeqs} sequences, applied to {@code nodeInputs}: what a
     * rewrite that moves work into or out of the step builds. Returns the new node's outputs.
     */
    List<Variable> rebuiltOver(InnerGraph step, int nSeqs, List<Variable> nodeInputs) {
        List<TensorType> types = new ArrayList<>();
        for (Variable v : nodeInputs) {
            types.add(v.type());
        }
        int[][] stateTaps = new int[nStates()][];
        for (int j = 0; j < stateTaps.length; j++) {
            stateTaps[j] = taps(j);
        }
        Scan scan = new Scan(step, nSeqs, stateTaps, nNitSot(), hasUntil(), stepsGiven(), truncateGradient(), name(), types)
                .keepingLast(lastOnly);
        if (innerOptimized) {
            scan = scan.markedInnerOptimized();
        }
        return new ArrayList<>(scan.makeNode(nodeInputs).outputs());
    }

    /** Whether the step's graph has been optimized already. */
    public boolean innerOptimized() { return innerOptimized; }

    /**
     * The same loop, except that state j's output holds only its last row where
     * {@code lastOnly[j]} (no rows when no step ran): what {@code out[-1]} reads is unchanged,
     * and a backend need not keep the whole history (Theano's scan_save_mem).
     */
    public Scan keepingLast(boolean[] lastOnly) {
        if (lastOnly.length != taps.length) {
            throw new IllegalArgumentException("keepingLast: " + lastOnly.length + " flags for " + taps.length + " states");
        }
        return new Scan(this, lastOnly);
    }

    /** Whether state j's output holds only its last row. */
    public boolean lastOnly(int state) { return lastOnly[state]; }

    static TensorType rowType(TensorType t) {
        return new TensorType(t.dtype(), Arrays.copyOfRange(t.shape(), 1, t.ndim()));
    }

    static TensorType withLeading(TensorType t, int length) {
        int[] s = new int[t.ndim() + 1];
        s[0] = length;
        System.arraycopy(t.shape(), 0, s, 1, t.ndim());
        return new TensorType(t.dtype(), s);
    }

    public InnerGraph inner() { return inner; }
    public int nSeqs() { return nSeqs; }
    public int nStates() { return taps.length; }
    public int[] taps(int state) { return taps[state].clone(); }
    public int nNitSot() { return nNitSot; }
    public int nNonSeqs() { return nNonSeqs; }
    public boolean hasUntil() { return hasUntil; }
    public int truncateGradient() { return truncateGradient; }
    public String name() { return name; }
    /** Whether node input 0 is a user's n_steps (else it is a placeholder and the sequences decide). */
    public boolean stepsGiven() { return stepsGiven; }

    /** Rows of initial value state j needs: the largest distance back any of its taps reaches. */
    public int depth(int state) {
        int k = 0;
        for (int t : taps[state]) {
            k = Math.max(k, -t);
        }
        return k;
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        if (inputs.size() != inputTypes.size()) {
            throw TslException.typeError(this + " expects " + inputTypes.size() + " inputs, got " + inputs.size());
        }
        for (int i = 0; i < inputs.size(); i++) {
            TensorType want = inputTypes.get(i);
            TensorType got = inputs.get(i).type();
            if (want.dtype() != got.dtype() || want.ndim() != got.ndim()) {
                throw TslException.typeError(this + ": input " + i + " must be " + want + ", got " + got);
            }
        }
        return new Apply(this, inputs, outputTypes);
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        int n = steps(in);
        // a while loop (until, no sequence, no n_steps) does not know its length: its buffers grow
        int capacity = bounded() ? n : 16;
        int nStates = taps.length;
        NDArray[] history = new NDArray[nStates];
        int[] depth = new int[nStates];
        for (int j = 0; j < nStates; j++) {
            NDArray init = in[1 + nSeqs + j];
            depth[j] = depth(j);
            if (init.dim(0) < depth[j]) {
                throw TslException.valueError(this + ": the initial value of output " + j + " has " + init.dim(0)
                        + " rows, but its taps reach back " + depth[j] + " steps");
            }
            int[] shape = init.shape();
            shape[0] = depth[j] + capacity;
            history[j] = NDArray.zeros(outputTypes.get(j).dtype(), shape);
            history[j].slice(0, 0, depth[j], 1).assign(init.slice(0, 0, depth[j], 1));
        }
        NDArray[] perStep = new NDArray[nNitSot];
        int nArgs = inner.inputs().size();
        NDArray[] args = new NDArray[nArgs];
        int nonSeqStart = nArgs - nNonSeqs;
        System.arraycopy(in, in.length - nNonSeqs, args, nonSeqStart, nNonSeqs);
        int done = n;
        for (int t = 0; t < n; t++) {
            // a host may cancel a loop that never ends (a thread-local read: nothing next to a step's work)
            Cancellation.poll();
            if (t == capacity) {
                capacity = grow(history, depth, perStep, capacity);
            }
            int a = 0;
            for (int i = 0; i < nSeqs; i++) {
                args[a++] = in[1 + i].get(t);
            }
            for (int j = 0; j < nStates; j++) {
                for (int tap : taps[j]) {
                    args[a++] = history[j].get(depth[j] + t + tap);
                }
            }
            NDArray[] outs = inner.run(args);
            for (int j = 0; j < nStates; j++) {
                NDArray row = history[j].get(depth[j] + t);
                checkShape(j, row.shape(), outs[j], t);
                row.assign(outs[j]);
            }
            for (int k = 0; k < nNitSot; k++) {
                NDArray o = outs[nStates + k];
                if (perStep[k] == null) {
                    int[] shape = new int[o.ndim() + 1];
                    shape[0] = capacity;
                    System.arraycopy(o.shape(), 0, shape, 1, o.ndim());
                    perStep[k] = NDArray.zeros(outputTypes.get(nStates + k).dtype(), shape);
                }
                NDArray row = perStep[k].get(t);
                checkShape(nStates + k, row.shape(), o, t);
                row.assign(o);
            }
            if (hasUntil && outs[nStates + nNitSot].getDouble(0) != 0) {
                done = t + 1;
                break;
            }
        }
        NDArray[] result = new NDArray[nStates + nNitSot];
        for (int j = 0; j < nStates; j++) {
            result[j] = lastOnly[j] ? history[j].slice(0, depth[j] + done - 1, Math.min(done, 1), 1)
                    : history[j].slice(0, depth[j], done, 1);
        }
        for (int k = 0; k < nNitSot; k++) {
            if (perStep[k] == null) {
                // no step ran: the per-step shape is only known where it is static
                int[] s = outputTypes.get(nStates + k).shape();
                for (int d = 0; d < s.length; d++) {
                    s[d] = Math.max(s[d], 0);
                }
                perStep[k] = NDArray.zeros(outputTypes.get(nStates + k).dtype(), s);
            }
            result[nStates + k] = perStep[k].slice(0, 0, done, 1);
        }
        return result;
    }

    /**
     * Whether the number of steps is known before the loop starts (a sequence or n_steps
     * bounds it); otherwise only the until condition ends it, as in a while loop.
     */
    public boolean bounded() {
        return nSeqs > 0 || stepsGiven || !hasUntil;
    }

    /** Doubles the buffers of an unbounded loop, keeping the rows written so far; returns the new capacity. */
    private int grow(NDArray[] history, int[] depth, NDArray[] perStep, int capacity) {
        if (capacity >= Integer.MAX_VALUE / 2) {
            throw TslException.valueError(this + ": the loop ran " + capacity + " steps without its until condition becoming"
                    + " true");
        }
        int bigger = capacity * 2;
        for (int j = 0; j < history.length; j++) {
            history[j] = regrown(history[j], depth[j] + bigger, depth[j] + capacity);
        }
        for (int k = 0; k < perStep.length; k++) {
            if (perStep[k] != null) {
                perStep[k] = regrown(perStep[k], bigger, capacity);
            }
        }
        return bigger;
    }

    private static NDArray regrown(NDArray old, int rows, int keep) {
        int[] shape = old.shape();
        shape[0] = rows;
        NDArray a = NDArray.zeros(old.dtype(), shape);
        a.slice(0, 0, keep, 1).assign(old.slice(0, 0, keep, 1));
        return a;
    }

    private int steps(NDArray[] in) {
        long n = Long.MAX_VALUE;
        for (int i = 0; i < nSeqs; i++) {
            n = Math.min(n, in[1 + i].dim(0));
        }
        if (stepsGiven) {
            long s = in[0].itemLong();
            if (s < 0) {
                throw TslException.notSupported("scan with a negative n_steps (" + s + ")");
            }
            n = Math.min(n, s);
        }
        if (n == Long.MAX_VALUE && !hasUntil) {
            throw TslException.valueError(this + ": no sequence and no n_steps");
        }
        return n == Long.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    private void checkShape(int output, int[] want, NDArray got, int step) {
        if (!Arrays.equals(want, got.shape())) {
            throw TslException.valueError(this + ": at step " + step + " output " + output + " of the inner function has shape "
                    + Shapes.format(got.shape()) + ", but the loop expects " + Shapes.format(want)
                    + " (every step must give the same shape, that of the initial state for a recurrent output)");
        }
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        for (boolean l : lastOnly) {
            if (l) {
                throw TslException.notSupported("the gradient of a scan whose history was dropped by the optimizer");
            }
        }
        return ScanGrad.grad(this, node, outputGrads);
    }

    @Override
    public String toString() {
        return "Scan{" + (name == null ? "scan_fn" : name) + "}";
    }
}
