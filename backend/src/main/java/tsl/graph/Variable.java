package tsl.graph;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A symbolic value in a graph: an input (no owner), the output of an {@link Apply}, a
 * {@link Constant} or a {@link SharedVariable}.
 */
public class Variable {
    private static final AtomicLong IDS = new AtomicLong();

    private final TensorType type;
    private final Apply owner;
    private final int index;
    private final long id = IDS.incrementAndGet();
    private String name;

    public Variable(TensorType type, String name) {
        this(type, null, 0, name);
    }

    Variable(TensorType type, Apply owner, int index, String name) {
        this.type = type;
        this.owner = owner;
        this.index = index;
        this.name = name;
    }

    public TensorType type() { return type; }
    public Apply owner() { return owner; }
    public int index() { return index; }
    public long id() { return id; }
    public String name() { return name; }
    public void setName(String name) { this.name = name; }
    public int ndim() { return type.ndim(); }
    public tsl.tensor.DType dtype() { return type.dtype(); }

    /** A fresh input variable of the same type and name (used when cloning graphs). */
    public Variable cloneInput() {
        return new Variable(type, name);
    }

    @Override
    public String toString() {
        if (name != null) {
            return name;
        }
        if (owner != null) {
            return owner.op().toString() + (owner.outputs().size() > 1 ? "." + index : ".0");
        }
        return "<" + type + ">";
    }
}
