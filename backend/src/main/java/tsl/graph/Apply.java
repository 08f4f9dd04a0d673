package tsl.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One application of an {@link Op} to input variables, owning its output variables. */
public final class Apply {
    private final Op op;
    private final List<Variable> inputs; // replaced in place only by FunctionGraph rewrites
    private final List<Variable> outputs;
    private final SourceLocation location;

    public Apply(Op op, List<Variable> inputs, List<TensorType> outputTypes) {
        this(op, inputs, outputTypes, SourceLocation.current());
    }

    public Apply(Op op, List<Variable> inputs, List<TensorType> outputTypes, SourceLocation location) {
        this.op = op;
        this.inputs = new ArrayList<>(inputs);
        List<Variable> outs = new ArrayList<>(outputTypes.size());
        for (int i = 0; i < outputTypes.size(); i++) {
            outs.add(new Variable(outputTypes.get(i), this, i, null));
        }
        this.outputs = Collections.unmodifiableList(outs);
        this.location = location;
    }

    public Op op() { return op; }
    public List<Variable> inputs() { return Collections.unmodifiableList(inputs); }

    void setInput(int i, Variable v) { inputs.set(i, v); }
    public Variable input(int i) { return inputs.get(i); }
    public List<Variable> outputs() { return outputs; }
    public Variable output() { return outputs.get(0); }
    public SourceLocation location() { return location; }

    /** The same op applied to other inputs, keeping this node's source location. */
    public Apply cloneWith(List<Variable> newInputs) {
        SourceLocation prev = SourceLocation.enter(location);
        try {
            return op.makeNode(newInputs);
        } finally {
            SourceLocation.exit(prev);
        }
    }

    @Override
    public String toString() {
        return op + "(" + inputs + ")";
    }
}
