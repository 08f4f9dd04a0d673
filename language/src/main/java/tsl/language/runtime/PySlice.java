package tsl.language.runtime;

import com.oracle.truffle.api.interop.TruffleObject;

/** A slice object {@code start:stop:step}; absent parts are None. */
public record PySlice(Object start, Object stop, Object step) implements TruffleObject {

    /** Python's slice.indices: {start, length, step} for a sequence of {@code length}. */
    public int[] indices(int length) {
        int st = step == PyNone.NONE ? 1 : PyOps.toIndex(step);
        if (st == 0) {
            throw TslError.of("ValueError", "slice step cannot be zero");
        }
        int lower = st > 0 ? 0 : -1;
        int upper = st > 0 ? length : length - 1;
        int s = start == PyNone.NONE ? (st > 0 ? lower : upper) : clamp(PyOps.toIndex(start), length, lower, upper);
        int e = stop == PyNone.NONE ? (st > 0 ? upper : lower) : clamp(PyOps.toIndex(stop), length, lower, upper);
        int n;
        if (st > 0) {
            n = e > s ? (e - s + st - 1) / st : 0;
        } else {
            n = s > e ? (s - e - st - 1) / (-st) : 0;
        }
        return new int[] {s, n, st};
    }

    private static int clamp(int i, int length, int lower, int upper) {
        if (i < 0) {
            i += length;
            return Math.max(i, lower);
        }
        return Math.min(i, upper);
    }
}
