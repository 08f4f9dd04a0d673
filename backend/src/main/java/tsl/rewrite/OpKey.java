package tsl.rewrite;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Objects;

import tsl.graph.Op;

/**
 * Op equality for merging. Most ops are records, but a record's own equals compares array
 * components (Reduce's axes, say) by identity; this compares every component by value, so
 * two {@code sum(x, axis=0)} built separately merge.
 */
final class OpKey {
    private final Op op;
    private final Object[] parts;
    private final int hash;

    OpKey(Op op) {
        this.op = op;
        this.parts = components(op);
        this.hash = parts == null ? op.hashCode() : 31 * op.getClass().hashCode() + Arrays.deepHashCode(parts);
    }

    /** Whether a class's own equals would compare some component by identity: a record with an array component and no equals of its own. */
    private static final ClassValue<Boolean> NEEDS_DEEP = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            if (!c.isRecord()) {
                return false;
            }
            try {
                c.getDeclaredMethod("equals", Object.class);
                return false;
            } catch (NoSuchMethodException e) {
                // the record's generated equals
            }
            for (RecordComponent rc : c.getRecordComponents()) {
                if (rc.getType().isArray()) {
                    return true;
                }
            }
            return false;
        }
    };

    private static Object[] components(Op op) {
        Class<?> c = op.getClass();
        if (!NEEDS_DEEP.get(c)) {
            return null;
        }
        RecordComponent[] rc = c.getRecordComponents();
        Object[] values = new Object[rc.length];
        try {
            for (int i = 0; i < rc.length; i++) {
                values[i] = rc[i].getAccessor().invoke(op);
            }
        } catch (ReflectiveOperationException e) {
            return null;
        }
        return values;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OpKey k)) {
            return false;
        }
        if (op.equals(k.op)) {
            return true;
        }
        if (parts == null || k.parts == null || op.getClass() != k.op.getClass()) {
            return false;
        }
        return Arrays.deepEquals(parts, k.parts);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    static boolean same(Op a, Op b) {
        return a == b || new OpKey(a).equals(new OpKey(b));
    }

    @Override
    public String toString() {
        return Objects.toString(op);
    }
}
