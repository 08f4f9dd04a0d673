package tsl.graph;

import tsl.tensor.NDArray;

/** A variable whose value is fixed when the graph is built. */
public final class Constant extends Variable {
    private final NDArray value;

    public Constant(TensorType type, NDArray value, String name) {
        super(type, name);
        this.value = value;
    }

    public Constant(NDArray value) {
        this(new TensorType(value.dtype(), value.shape()), value, null);
    }

    public NDArray value() { return value; }

    @Override
    public Variable cloneInput() {
        return this;
    }

    @Override
    public String toString() {
        return name() != null ? name() : value.toString();
    }
}
