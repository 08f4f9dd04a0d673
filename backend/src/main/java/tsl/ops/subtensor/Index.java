package tsl.ops.subtensor;

/**
 * One entry of an index expression {@code x[...]}, as an op parameter. Values known when the
 * graph is built are stored in the entry; symbolic ones are inputs of the node, taken in
 * order (a {@link Bound#INPUT} bound or an {@link Array} consumes the next input).
 */
public sealed interface Index {

    /** A slice bound or point: a constant, None, or "the next input". */
    record Bound(boolean symbolic, Long value) {
        public static final Bound NONE = new Bound(false, null);
        public static final Bound INPUT = new Bound(true, null);

        public static Bound of(long v) {
            return new Bound(false, v);
        }

        public boolean isNone() {
            return !symbolic && value == null;
        }

        @Override
        public String toString() {
            return symbolic ? "?" : value == null ? "" : value.toString();
        }
    }

    /** An integer index: selects one position and removes the dimension. */
    record Point(Bound at) implements Index {
        @Override
        public String toString() {
            return at.toString();
        }
    }

    /** start:stop:step, with Python's clamping and negative-index rules. */
    record Range(Bound start, Bound stop, Bound step) implements Index {
        public static final Range ALL = new Range(Bound.NONE, Bound.NONE, Bound.NONE);

        @Override
        public String toString() {
            return start + ":" + stop + (step.isNone() ? "" : ":" + step);
        }
    }

    /** None / numpy.newaxis: inserts a dimension of length 1. */
    record NewAxis() implements Index {
        @Override
        public String toString() {
            return "None";
        }
    }

    /** An integer or boolean array (advanced indexing); the next input. */
    record Array() implements Index {
        @Override
        public String toString() {
            return "[]";
        }
    }

    /** The number of node inputs this entry consumes. */
    default int inputCount() {
        return switch (this) {
            case Point p -> p.at().symbolic() ? 1 : 0;
            case Range r -> (r.start().symbolic() ? 1 : 0) + (r.stop().symbolic() ? 1 : 0) + (r.step().symbolic() ? 1 : 0);
            case NewAxis n -> 0;
            case Array a -> 1;
        };
    }
}
