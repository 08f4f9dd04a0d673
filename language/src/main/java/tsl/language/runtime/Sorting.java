package tsl.language.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Python's stable sort with key= and reverse=. */
public final class Sorting {
    private Sorting() {}

    public static List<Object> sorted(List<Object> items, Object key, boolean reverse) {
        List<Object[]> pairs = new ArrayList<>();
        for (Object o : items) {
            Object k = key == null || key == PyNone.NONE ? o : PyOps.call(key, List.of(o), Map.of());
            pairs.add(new Object[] {k, o});
        }
        java.util.Comparator<Object[]> cmp = (x, y) -> PyOps.order(x[0], y[0], "<");
        if (reverse) {
            // Python keeps equal elements in their original order even when reversing
            cmp = cmp.reversed();
        }
        pairs.sort(cmp);
        List<Object> out = new ArrayList<>();
        for (Object[] p : pairs) {
            out.add(p[1]);
        }
        return out;
    }
}
