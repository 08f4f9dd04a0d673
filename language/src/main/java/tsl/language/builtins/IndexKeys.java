package tsl.language.builtins;

import java.util.List;

import tsl.language.runtime.Arith;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PySlice;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.ops.T;
import tsl.tensor.NDArray;

/**
 * Turns a Python subscript key ({@code x[1:, ::2]}, {@code x[idx]}, {@code x[..., None]}) into
 * the index entries of {@link T#subtensor}, so that symbolic and eager NumPy indexing share one
 * implementation of NumPy's rules.
 */
final class IndexKeys {
    private IndexKeys() {}

    static Object[] of(Object key) {
        // a tuple is several indices; a list is one integer/boolean array (NumPy >= 1.23)
        List<Object> keys = key instanceof PyTuple t ? t.asList() : List.of(key);
        Object[] out = new Object[keys.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = entry(keys.get(i));
        }
        return out;
    }

    /** Whether every entry is an integer, slice, None or Ellipsis (NumPy's basic indexing, which gives views). */
    static boolean isBasic(Object[] entries) {
        for (Object e : entries) {
            if (!(e == null || e == T.ELLIPSIS || e instanceof T.Slice || e instanceof Long)) {
                return false;
            }
        }
        return true;
    }

    private static Object entry(Object k) {
        if (k == PyNone.NONE) {
            return null;
        }
        if (k == T.ELLIPSIS) {
            return k;
        }
        if (k instanceof Boolean) {
            throw TslError.of("IndexError", "not supported yet: a Python bool as an index");
        }
        if (Arith.isInt(k)) {
            return (long) PyOps.toIndex(k);
        }
        if (k instanceof NpScalar s) {
            if (!s.array().dtype().isInteger()) {
                throw TslError.of("IndexError", "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices");
            }
            return s.array().itemLong();
        }
        if (k instanceof PySlice s) {
            return T.slice(bound(s.start()), bound(s.stop()), bound(s.step()));
        }
        if (k instanceof PyList || k instanceof PyTuple) {
            return tsl.language.runtime.Interop.toArray(k);
        }
        if (k instanceof NDArray || k instanceof tsl.graph.Variable) {
            return k;
        }
        throw TslError.of("IndexError", "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices");
    }

    private static Object bound(Object b) {
        if (b == PyNone.NONE) {
            return null;
        }
        if (Arith.isInt(b)) {
            return (long) PyOps.toIndex(b);
        }
        if (b instanceof NpScalar s && s.array().dtype().isInteger()) {
            return s.array().itemLong();
        }
        if (b instanceof tsl.graph.Variable v) {
            return v;
        }
        throw TslError.of("TypeError", "slice indices must be integers or None or have an __index__ method");
    }
}
