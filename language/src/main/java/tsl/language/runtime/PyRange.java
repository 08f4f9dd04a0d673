package tsl.language.runtime;

import java.util.Iterator;

import com.oracle.truffle.api.interop.TruffleObject;

/** Python's range: a lazy arithmetic sequence of ints. */
public record PyRange(long start, long stop, long step) implements TruffleObject {
    public PyRange {
        if (step == 0) {
            throw TslError.of("ValueError", "range() arg 3 must not be zero");
        }
    }

    public long length() {
        if (step > 0) {
            return stop > start ? (stop - start + step - 1) / step : 0;
        }
        return start > stop ? (start - stop - step - 1) / (-step) : 0;
    }

    public Object get(int i) {
        return start + i * step;
    }

    public Iterator<Object> iterator() {
        return new Iterator<>() {
            long next = start;

            @Override
            public boolean hasNext() {
                return step > 0 ? next < stop : next > stop;
            }

            @Override
            public Object next() {
                long v = next;
                next += step;
                return v;
            }
        };
    }

    @Override
    public String toString() {
        return step == 1 ? "range(" + start + ", " + stop + ")" : "range(" + start + ", " + stop + ", " + step + ")";
    }
}
