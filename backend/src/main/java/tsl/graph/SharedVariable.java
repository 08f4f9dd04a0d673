package tsl.graph;

import java.util.concurrent.locks.ReentrantLock;

import tsl.tensor.NDArray;

/**
 * A variable with a value that lives between function calls (Theano's shared variable).
 * Functions read it as an implicit input and may update it; the lock makes each function
 * call's read-compute-write of its updates atomic with respect to other callers.
 */
public final class SharedVariable extends Variable {
    /**
     * A value whose truth lives on a device (the cuda linker keeps updates there): the
     * variable holds a placeholder array of the right dtype and shape whose contents are not
     * filled in, and reads on the host go through {@link DeviceValue#toHost}.
     */
    public interface DeviceValue {
        /** The values, copied to a host array on first use (the same array after). Called with the variable's lock held. */
        NDArray toHost();

        /** The variable no longer holds this value: its device memory may be reused. Called with the variable's lock held. */
        void release();
    }

    /** The value and, when it lives on a device, its device side; one volatile reference so that readers see a consistent pair. */
    private record Stored(NDArray value, DeviceValue device) {}

    private final ReentrantLock lock = new ReentrantLock();
    private volatile Stored stored;
    private volatile Variable defaultUpdate;

    public SharedVariable(TensorType type, NDArray value, String name) {
        super(type, name);
        this.stored = new Stored(value, null);
    }

    public ReentrantLock lock() { return lock; }

    /**
     * The current value; with {@code borrow} the internal array itself, else a copy. A value
     * that lives on a device is copied to the host first (once; later reads reuse the copy).
     */
    public NDArray getValue(boolean borrow) {
        NDArray v = hostValue();
        return borrow ? v : v.copy();
    }

    private NDArray hostValue() {
        Stored s = stored;
        if (s.device == null) {
            return s.value;
        }
        // under the lock: a call that updates this variable cannot release the device copy meanwhile
        lock.lock();
        try {
            s = stored;
            return s.device == null ? s.value : s.device.toHost();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The stored array without synchronising: for a value on a device, the placeholder that
     * stands for it (its contents are not filled in). Only for linkers that keep values on the
     * device ({@code Linker.Program.keepsValuesOnDevice}); everything else reads {@link #getValue}.
     */
    public NDArray storedValue() {
        return stored.value;
    }

    /** Whether the value currently lives on a device, with no host copy made yet or a stale one. */
    public boolean isOnDevice() {
        return stored.device != null;
    }

    /** Replaces the value; the caller has converted it to this variable's type. */
    public void setValue(NDArray v, boolean borrow) {
        if (!type().accepts(v)) {
            throw TslException.typeError("shared variable " + this + " of type " + type()
                    + " cannot take a value of dtype " + v.dtype() + " and shape " + tsl.tensor.Shapes.format(v.shape()));
        }
        lock.lock();
        try {
            replace(new Stored(borrow ? v : v.copy(), null));
        } finally {
            lock.unlock();
        }
    }

    /** Used by compiled functions while they hold the lock. */
    public void setValueUnchecked(NDArray v) {
        replace(new Stored(v, null));
    }

    /**
     * Used by compiled functions while they hold the lock: the new value lives on a device;
     * {@code placeholder} (of the value's dtype and shape) stands for it.
     */
    public void setDeviceValue(NDArray placeholder, DeviceValue device) {
        replace(new Stored(placeholder, device));
    }

    private void replace(Stored next) {
        Stored old = stored;
        stored = next;
        if (old.device != null && old.device != next.device) {
            old.device.release();
        }
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
