package tsl.grad;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * out[k] = body(k) for k in 0..n-1, stacked along a new first axis: {@code body} is a graph in
 * which {@code index} (an int64 scalar) stands for k. jacobian and hessian use it when the
 * number of rows is known only at run time.
 *
 * <p>To do: this is a narrow stand-in for scan (theano.scan over arange(n)); once the scan op
 * lands, jacobian should build a scan instead and this class should go.
 *
 * <p>The node's inputs are n followed by every free variable of the body, shared variables
 * included, so that gradients flow to them: its gradient is again an IndexMap (of the body's
 * gradient, given row k of the output gradient) summed over k.
 */
final class IndexMap implements Op {
    private final Variable index;
    private final Variable body;
    private final List<Variable> captured;
    private volatile tsl.compile.Function compiled;

    private IndexMap(Variable index, Variable body, List<Variable> captured) {
        this.index = index;
        this.body = body;
        this.captured = captured;
    }

    /** The stack of body(k) for k in 0..n-1. */
    static Variable map(Variable n, Variable index, Variable body) {
        List<Variable> captured = freeVariables(body, index);
        List<Variable> inputs = new ArrayList<>();
        inputs.add(T.cast(n, DType.INT64));
        inputs.addAll(captured);
        return new IndexMap(index, body, captured).makeNode(inputs).output();
    }

    private static List<Variable> freeVariables(Variable root, Variable index) {
        List<Variable> free = new ArrayList<>();
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Variable> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Variable v = stack.pop();
            if (!seen.add(v)) {
                continue;
            }
            if (v.owner() == null) {
                if (v != index && !(v instanceof Constant)) {
                    free.add(v);
                }
            } else {
                for (Variable in : v.owner().inputs()) {
                    stack.push(in);
                }
            }
        }
        return free;
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        if (inputs.size() != captured.size() + 1 || inputs.get(0).ndim() != 0) {
            throw TslException.typeError(this + " takes a length and " + captured.size() + " captured inputs");
        }
        int[] inner = body.type().shape();
        int[] shape = new int[inner.length + 1];
        Variable n = inputs.get(0);
        shape[0] = n instanceof Constant c ? (int) c.value().itemLong() : TensorType.UNKNOWN;
        System.arraycopy(inner, 0, shape, 1, inner.length);
        return new Apply(this, inputs, List.of(new TensorType(body.dtype(), shape)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] inputs) {
        long n = inputs[0].itemLong();
        if (n < 0) {
            throw TslException.valueError(this + ": negative length " + n);
        }
        tsl.compile.Function f = compiled();
        Object[] args = new Object[captured.size() + 1];
        System.arraycopy(inputs, 1, args, 1, captured.size());
        NDArray out = null;
        for (long k = 0; k < n; k++) {
            args[0] = NDArray.scalar(k, DType.INT64);
            NDArray row = f.call(args)[0];
            if (out == null) {
                int[] shape = new int[row.ndim() + 1];
                shape[0] = (int) n;
                System.arraycopy(row.shape(), 0, shape, 1, row.ndim());
                out = NDArray.zeros(body.dtype(), shape);
            }
            if (!java.util.Arrays.equals(row.shape(), java.util.Arrays.copyOfRange(out.shape(), 1, out.ndim()))) {
                throw TslException.valueError(this + ": row " + k + " has shape " + tsl.tensor.Shapes.format(row.shape())
                        + ", unlike row 0");
            }
            long size = row.size();
            for (long e = 0; e < size; e++) {
                out.setDouble(k * size + e, row.getDouble(e));
            }
        }
        if (out == null) {
            int[] shape = node.output().type().shape();
            for (int d = 0; d < shape.length; d++) {
                shape[d] = Math.max(shape[d], 0); // no row was computed: unknown lengths are taken as 0
            }
            out = NDArray.zeros(body.dtype(), shape);
        }
        return new NDArray[] {out};
    }

    /** The body compiled once, on the reference linker, with fresh inputs standing for the captured variables. */
    private tsl.compile.Function compiled() {
        tsl.compile.Function f = compiled;
        if (f == null) {
            synchronized (this) {
                if (compiled == null) {
                    FunctionBuilder b = new FunctionBuilder().mode(new Mode("jvm", "fast_run")).onUnusedInput("ignore");
                    List<In> ins = new ArrayList<>();
                    ins.add(In.of(index));
                    for (Variable c : captured) {
                        Variable p = new Variable(c.type(), c.name());
                        b.given(c, p);
                        ins.add(In.of(p));
                    }
                    compiled = b.inputs(ins).outputs(List.of(body), false).build();
                }
                f = compiled;
            }
        }
        return f;
    }

    @Override
    public boolean gradConnected(Apply node, int i) {
        return i > 0;
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable n = node.input(0);
        Variable rowGrad = T.subtensor(outputGrads.get(0), index);
        Map<Variable, Variable> known = Map.of(body, rowGrad);
        List<Variable> innerGrads = Gradient.grad(null, captured,
                new Gradient.Options().knownGrads(known).disconnectedInputs("ignore").returnDisconnected("None").nullGradients("return"));
        List<Variable> result = new ArrayList<>();
        result.add(null);
        for (int j = 0; j < captured.size(); j++) {
            Variable g = innerGrads.get(j);
            Variable outer = node.input(j + 1);
            if (g == null || g instanceof NullGradient || outer.dtype().isDiscrete()) {
                result.add(g instanceof NullGradient ng ? ng : null);
                continue;
            }
            // the body refers to captured[j]; the node may have been rebuilt on other inputs
            result.add(T.sum(map(n, index, g), new int[] {0}, false));
        }
        return substitute(result, node);
    }

    /** Gradients built from the body mention the captured variables; when the node's inputs differ, it is not supported yet. */
    private List<Variable> substitute(List<Variable> grads, Apply node) {
        for (int j = 0; j < captured.size(); j++) {
            if (node.input(j + 1) != captured.get(j)) {
                throw TslException.notSupported("the gradient of a jacobian whose inputs were replaced (givens or rewrites)");
            }
        }
        return grads;
    }

    @Override
    public String toString() {
        return "IndexMap{" + body + "}";
    }
}
