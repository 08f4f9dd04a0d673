package tsl.language.builtins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** np.sort, np.argsort and np.unique: NaN sorts last, equal keys keep their order. */
final class NumpySorting {
    private NumpySorting() {}

    static int compareValues(double a, double b) {
        // NumPy sorts NaN to the end
        boolean na = Double.isNaN(a);
        boolean nb = Double.isNaN(b);
        if (na || nb) {
            return na == nb ? 0 : na ? 1 : -1;
        }
        return Double.compare(a == 0 ? 0.0 : a, b == 0 ? 0.0 : b);
    }

    /** Sorts along an axis in place (a stable sort; NumPy's default quicksort orders equal keys the same for n <= 16). */
    @TruffleBoundary
    static void sortInPlace(NDArray a, int axis) {
        if (a.ndim() == 0) {
            throw TslError.of("AxisError", "axis " + axis + " is out of bounds for array of dimension 0");
        }
        int ax = NumpyOps.axesOf((long) axis, a.ndim())[0];
        NDArray v = a.transpose(NumpyStats.moveToEnd(a.ndim(), ax));
        NDArray flat = v.copy();
        int n = a.dim(ax);
        long rows = n == 0 ? 0 : flat.size() / n;
        for (long r = 0; r < rows; r++) {
            if (a.dtype().isFloat()) {
                Double[] row = new Double[n];
                for (int i = 0; i < n; i++) {
                    row[i] = flat.getDouble(r * n + i);
                }
                Arrays.sort(row, NumpySorting::compareValues);
                for (int i = 0; i < n; i++) {
                    flat.setDouble(r * n + i, row[i]);
                }
            } else {
                long[] row = new long[n];
                for (int i = 0; i < n; i++) {
                    row[i] = flat.getLong(r * n + i);
                }
                Arrays.sort(row);
                for (int i = 0; i < n; i++) {
                    flat.setLong(r * n + i, row[i]);
                }
            }
        }
        v.assign(flat);
    }

    @TruffleBoundary
    static NDArray argsort(NDArray a, int axis) {
        if (a.ndim() == 0) {
            return NDArray.zeros(DType.INT64, 1);
        }
        int ax = NumpyOps.axesOf((long) axis, a.ndim())[0];
        int[] perm = NumpyStats.moveToEnd(a.ndim(), ax);
        NDArray flat = a.transpose(perm).copy();
        NDArray idx = NDArray.zeros(DType.INT64, flat.shape());
        int n = a.dim(ax);
        long rows = n == 0 ? 0 : flat.size() / n;
        for (long r = 0; r < rows; r++) {
            Integer[] order = new Integer[n];
            double[] vals = new double[n];
            long[] lv = new long[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                vals[i] = flat.getDouble(r * n + i);
                lv[i] = flat.getLong(r * n + i);
            }
            if (a.dtype().isFloat()) {
                Arrays.sort(order, (p, q) -> compareValues(vals[p], vals[q]));
            } else {
                Arrays.sort(order, (p, q) -> Long.compare(lv[p], lv[q]));
            }
            for (int i = 0; i < n; i++) {
                idx.setLong(r * n + i, order[i]);
            }
        }
        // back to the original axis order
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return idx.transpose(inv).copy();
    }

    static Object unique(Args p) {
        NDArray a = NumpyFunctions.arr(p.get(0, "ar", null)).reshape(-1);
        boolean retIndex = PyOps.isTrue(p.get(1, "return_index", false));
        boolean retInverse = PyOps.isTrue(p.get(2, "return_inverse", false));
        boolean retCounts = PyOps.isTrue(p.get(3, "return_counts", false));
        NDArray order = argsort(a, 0);
        int n = (int) a.size();
        List<Integer> firsts = new ArrayList<>();
        long[] inverse = new long[n];
        List<Long> counts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int j = (int) order.getLong(i);
            boolean fresh = i == 0 || compareValues(a.getDouble(j), a.getDouble((int) order.getLong(i - 1))) != 0
                    || !a.dtype().isFloat() && a.getLong(j) != a.getLong((int) order.getLong(i - 1));
            if (fresh) {
                firsts.add(j);
                counts.add(0L);
            }
            inverse[j] = firsts.size() - 1;
            counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
        }
        NDArray values = NDArray.zeros(a.dtype(), firsts.size());
        long[] index = new long[firsts.size()];
        for (int i = 0; i < firsts.size(); i++) {
            values.get(i).assign(a.get(firsts.get(i)));
            index[i] = firsts.get(i);
        }
        if (!retIndex && !retInverse && !retCounts) {
            return values;
        }
        List<Object> out = new ArrayList<>();
        out.add(values);
        if (retIndex) {
            out.add(NDArray.fromLongs(DType.INT64, new int[] {index.length}, index));
        }
        if (retInverse) {
            out.add(NDArray.fromLongs(DType.INT64, new int[] {n}, inverse));
        }
        if (retCounts) {
            long[] c = counts.stream().mapToLong(Long::longValue).toArray();
            out.add(NDArray.fromLongs(DType.INT64, new int[] {c.length}, c));
        }
        return PyTuple.of(out);
    }
}
