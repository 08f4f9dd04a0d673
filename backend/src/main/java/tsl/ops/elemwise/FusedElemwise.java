package tsl.ops.elemwise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * A fused elementwise loop with several outputs (Theano's multi-output {@code Composite}):
 * one scalar program over shared inputs, several of whose step results are kept. Fusion
 * builds it where intermediate results of one loop are also needed outside it, so that a
 * value used by two consumers is computed once, in the same pass over the data.
 *
 * <p>Shapes follow NumPy broadcasting at run time, so an output need not have the shape of
 * the whole loop (an input of unknown length may turn out to be 1 long): each output has the
 * broadcast shape of the inputs it depends on. When they all agree (the usual case) one loop
 * writes every output; otherwise each output is computed over its own shape.
 */
public record FusedElemwise(int nin, List<Composite.Step> steps, int[] results, TensorType[] outTypes) implements Op {

    public FusedElemwise {
        steps = List.copyOf(steps);
        if (results.length != outTypes.length || results.length == 0) {
            throw new IllegalArgumentException("one output type per result, at least one result");
        }
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        if (inputs.size() != nin) {
            throw TslException.typeError(this + " takes " + nin + " inputs, got " + inputs.size());
        }
        return new Apply(this, inputs, Arrays.asList(outTypes));
    }

    /** Which inputs (by index) each output depends on, and which steps it needs. */
    public boolean[][] neededSteps(boolean[][] usesInput) {
        int ns = steps.size();
        boolean[][] needed = new boolean[results.length][ns];
        for (int o = 0; o < results.length; o++) {
            boolean[] mark = new boolean[nin + ns];
            mark[results[o]] = true;
            for (int k = ns - 1; k >= 0; k--) {
                if (mark[nin + k]) {
                    needed[o][k] = true;
                    for (int a : steps.get(k).args()) {
                        mark[a] = true;
                    }
                }
            }
            usesInput[o] = Arrays.copyOf(mark, nin);
        }
        return needed;
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        for (int i = 0; i < in.length; i++) {
            // a dimension declared broadcastable (length 1) must have length 1 at run time
            if (!node.input(i).type().fitsShape(in[i].shape())) {
                throw TslException.valueError(this + ": input " + i + " of shape " + Shapes.format(in[i].shape())
                        + " does not match its type " + node.input(i).type());
            }
        }
        boolean[][] uses = new boolean[results.length][];
        boolean[][] needed = neededSteps(uses);
        int[][] shapes = new int[results.length][];
        int[] loop = null;
        boolean same = true;
        for (int o = 0; o < results.length; o++) {
            shapes[o] = broadcastShape(in, uses[o]);
            same &= loop == null || Arrays.equals(loop, shapes[o]);
            loop = loop == null ? shapes[o] : loop;
        }
        NDArray[] out = new NDArray[results.length];
        for (int o = 0; o < results.length; o++) {
            out[o] = NDArray.zeros(outTypes[o].dtype(), shapes[o]);
        }
        Composite.Step[] s = steps.toArray(new Composite.Step[0]);
        if (same) {
            run(in, loop, s, null, out, allOutputs());
        } else {
            for (int o = 0; o < results.length; o++) {
                run(in, shapes[o], s, needed[o], out, new int[] {o});
            }
        }
        return out;
    }

    private int[] allOutputs() {
        int[] all = new int[results.length];
        for (int o = 0; o < all.length; o++) {
            all[o] = o;
        }
        return all;
    }

    private int[] broadcastShape(NDArray[] in, boolean[] uses) {
        int[] shape = null;
        for (int i = 0; i < in.length; i++) {
            if (!uses[i]) {
                continue;
            }
            if (in[i].ndim() != outTypes[0].ndim()) {
                throw TslException.valueError(this + ": input " + i + " has " + in[i].ndim() + " dimensions, expected "
                        + outTypes[0].ndim());
            }
            try {
                shape = shape == null ? in[i].shape() : Shapes.broadcast(shape, in[i].shape());
            } catch (IllegalArgumentException e) {
                throw TslException.valueError("Input dimension mismatch in " + this + ": shapes "
                        + Shapes.format(shape) + " and " + Shapes.format(in[i].shape()) + " cannot be broadcast together");
            }
        }
        return shape == null ? new int[outTypes[0].ndim()] : shape; // no input: cannot happen for a fused loop
    }

    /** One loop over {@code shape} writing outputs {@code which}; inputs the needed steps do not read are not touched. */
    private void run(NDArray[] in, int[] shape, Composite.Step[] s, boolean[] needed, NDArray[] out, int[] which) {
        boolean[] read = new boolean[nin];
        if (needed == null) {
            Arrays.fill(read, true);
        } else {
            for (int k = 0; k < s.length; k++) {
                if (needed[k]) {
                    for (int a : s[k].args()) {
                        if (a < nin) {
                            read[a] = true;
                        }
                    }
                }
            }
        }
        NDArray[] b = new NDArray[nin];
        for (int i = 0; i < nin; i++) {
            b[i] = read[i] ? in[i].broadcastTo(shape) : null;
        }
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (Composite.allInteger(s)) {
            long[] v = new long[nin + s.length];
            for (long k = 0; k < n; k++) {
                for (int i = 0; i < nin; i++) {
                    v[i] = read[i] ? b[i].getLong(k) : 0;
                }
                Composite.evalInteger(nin, s, v, needed);
                for (int o : which) {
                    out[o].setLong(k, v[results[o]]);
                }
            }
        } else {
            double[] v = new double[nin + s.length];
            for (long k = 0; k < n; k++) {
                for (int i = 0; i < nin; i++) {
                    v[i] = read[i] ? b[i].getDouble(k) : 0;
                }
                Composite.evalReal(nin, s, v, needed);
                for (int o : which) {
                    out[o].setDouble(k, v[results[o]]);
                }
            }
        }
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        throw TslException.notSupported("gradient of a fused Composite (fusion runs after gradients are taken)");
    }

    @Override
    public boolean equals(Object o) {
        return this == o; // two fusions of equal programs are rare; identity keeps merging cheap and safe
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /** Theano's display of a multi-output composite: each kept result, steps inlined. */
    @Override
    public String toString() {
        String[] names = Composite.displayNames(nin, steps.toArray(new Composite.Step[0]));
        List<String> outs = new ArrayList<>();
        for (int r : results) {
            outs.add(names[r]);
        }
        return "Elemwise{Composite{" + String.join(", ", outs) + "}}";
    }
}
