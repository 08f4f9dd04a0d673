package tsl.language.runtime;

import java.util.Iterator;

import com.oracle.truffle.api.interop.TruffleObject;

/** An iterator object (iter(), enumerate, zip, map, filter, reversed): single pass. */
public final class PyIterator implements TruffleObject {
    private final Iterator<Object> it;
    private final String kind;

    public PyIterator(String kind, Iterator<Object> it) {
        this.kind = kind;
        this.it = it;
    }

    public Iterator<Object> iterator() {
        return it;
    }

    public Object next() {
        if (!it.hasNext()) {
            throw TslError.of("StopIteration", "");
        }
        return it.next();
    }

    @Override
    public String toString() {
        return "<" + kind + " object>";
    }
}
