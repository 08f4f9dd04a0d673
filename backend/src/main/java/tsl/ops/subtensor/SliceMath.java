package tsl.ops.subtensor;

import tsl.graph.TslException;

/** Python's slice and index arithmetic on one axis. */
final class SliceMath {
    private SliceMath() {}

    /** Normalises an integer index against a length, or raises NumPy's IndexError. */
    static long point(long i, long n, int axis) {
        long j = i < 0 ? i + n : i;
        if (j < 0 || j >= n) {
            throw TslException.indexError("index " + i + " is out of bounds for axis " + axis + " with size " + n);
        }
        return j;
    }

    /** slice(start, stop, step).indices(n) followed by the length: {start, step, length}. */
    static long[] range(Long start, Long stop, Long step, long n) {
        long st = step == null ? 1 : step;
        if (st == 0) {
            throw TslException.valueError("slice step cannot be zero");
        }
        long lo;
        long hi;
        if (st > 0) {
            lo = start == null ? 0 : clamp(start < 0 ? start + n : start, 0, n);
            hi = stop == null ? n : clamp(stop < 0 ? stop + n : stop, 0, n);
        } else {
            lo = start == null ? n - 1 : clamp(start < 0 ? start + n : start, -1, n - 1);
            hi = stop == null ? -1 : clamp(stop < 0 ? stop + n : stop, -1, n - 1);
        }
        long len = st > 0 ? (hi > lo ? (hi - lo + st - 1) / st : 0) : (lo > hi ? (lo - hi - st - 1) / -st : 0);
        return new long[] {lo, st, len};
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
