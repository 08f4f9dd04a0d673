package tsl.graph;

import java.util.concurrent.locks.ReentrantLock;

import tsl.tensor.NDArray;

/**
 * A variable with a value that lives between function calls (Theano's shared variable).
 * Functions read it as an implicit input and may update it; the lock makes each function
 * call's read-compute-write of its updates atomic with respect to other callers.
 */
public final class SharedVariable extends Variable {
    private final ReentrantLock lock = new ReentrantLock();
    private volatile NDArray value;
    private volatile Variable defaultUpdate;

    public SharedVariable(TensorType type, NDArray value, String name) {
        super(type, name);
        this.value = value;
    }

    public ReentrantLock lock() { return lock; }

    /** The current value; with {@code borrow} the internal array itself, else a copy. */
    public NDArray getValue(boolean borrow) {
        NDArray v = value;
        return borrow ? v : v.copy();
    }

    /** Replaces the value; the caller has converted it to this variable's type. */
    public void setValue(NDArray v, boolean borrow) {
        if (!type().accepts(v)) {
            throw TslException.typeError("shared variable " + this + " of type " + type()
                    + " cannot take a value of dtype " + v.dtype() + " and shape " + tsl.tensor.Shapes.format(v.shape()));
        }
        lock.lock();
        try {
            value = borrow ? v : v.copy();
        } finally {
            lock.unlock();
        }
    }

    /** Used by compiled functions while they hold the lock. */
    public void setValueUnchecked(NDArray v) {
        value = v;
    }

    /**
     * Theano's {@code default_update}: the expression a function applies to this variable when
     * the graph uses it and no explicit update is given (random-stream states advance this way).
     */
    public Variable defaultUpdate() { return defaultUpdate; }

    public void setDefaultUpdate(Variable update) {
        if (update != null && !type().isCompatible(update.type())) {
            throw TslException.typeError("default_update of " + this + " must have type " + type() + ", got " + update.type());
        }
        this.defaultUpdate = update;
    }

    @Override
    public Variable cloneInput() {
        return this;
    }
}
