package tsl.ops.subtensor;

import tsl.tensor.NDArray;

/** Writes or adds one array into another of the same shape, converting to the target's dtype. */
final class Accumulate {
    private Accumulate() {}

    static void into(NDArray target, NDArray y, boolean set) {
        long n = target.size();
        boolean integral = !target.dtype().isFloat();
        for (long k = 0; k < n; k++) {
            put(target, k, y, k, set, integral);
        }
    }

    static void put(NDArray target, long tk, NDArray y, long yk, boolean set, boolean integral) {
        if (integral && !y.dtype().isFloat()) {
            target.setLong(tk, set ? y.getLong(yk) : target.getLong(tk) + y.getLong(yk));
        } else if (integral) {
            target.setLong(tk, (long) (set ? y.getDouble(yk) : target.getLong(tk) + y.getDouble(yk)));
        } else {
            target.setDouble(tk, set ? y.getDouble(yk) : target.getDouble(tk) + y.getDouble(yk));
        }
    }
}
