package tsl.language.builtins;

import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.TslError;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * NumPy's elementwise functions over the backend's scalar ops, with NumPy's loop selection:
 * float-only functions compute integers in float64 (int16 in float32), binary functions use
 * value-based result_type, and a result of scalars is a NumPy scalar.
 */
final class NumpyUfuncs {
    private NumpyUfuncs() {}

    /** The operand converted to {@code d}: arrays stay arrays, anything else becomes a NumPy scalar. */
    static Object as(Object x, DType d) {
        if (x instanceof NDArray a) {
            return a.dtype() == d ? a : a.astype(d);
        }
        if (x instanceof NpScalar s && s.dtype() == d) {
            return s;
        }
        return NpScalar.of(NumpyModule.asarray(x, null).astype(d));
    }

    private static Object result(Object r) {
        return r instanceof NDArray a ? NumpyOps.wrap(a) : r;
    }

    static Object floatUnary(ScalarOp op, Object x) {
        DType t = NumpyCasting.floatLoop(NumpyCasting.declared(x));
        return result(NumpyOps.elementwise(op, null, as(x, t)));
    }

    static Object sameUnary(ScalarOp op, Object x) {
        DType d = NumpyCasting.declared(x);
        return result(NumpyOps.elementwise(op, null, as(x, d)));
    }

    static Object binary(ScalarOp op, Object x, Object y) {
        DType r = NumpyCasting.resultType(x, y);
        if (op == ScalarOps.TRUE_DIV && !r.isFloat()) {
            r = DType.FLOAT64;
        }
        if (op == ScalarOps.POW && r.isDiscrete()) {
            NDArray e = NumpyModule.asarray(y, null);
            for (long i = 0; i < e.size(); i++) {
                if (e.getLong(i) < 0) {
                    throw TslError.of("ValueError", "Integers to negative integer powers are not allowed.");
                }
            }
        }
        return result(NumpyOps.elementwise(op, null, as(x, r), as(y, r)));
    }

    static void register(PyModule m) {
        Object[][] floats = {
            {"exp", ScalarOps.EXP}, {"log", ScalarOps.LOG}, {"log1p", ScalarOps.LOG1P}, {"expm1", ScalarOps.EXPM1},
            {"log2", ScalarOps.LOG2}, {"log10", ScalarOps.LOG10}, {"exp2", ScalarOps.EXP2},
            {"tanh", ScalarOps.TANH}, {"sinh", ScalarOps.SINH}, {"cosh", ScalarOps.COSH},
            {"sin", ScalarOps.SIN}, {"cos", ScalarOps.COS}, {"tan", ScalarOps.TAN},
            {"arcsin", ScalarOps.ARCSIN}, {"arccos", ScalarOps.ARCCOS}, {"arctan", ScalarOps.ARCTAN},
            {"sqrt", ScalarOps.SQRT}, {"floor", ScalarOps.FLOOR}, {"ceil", ScalarOps.CEIL},
        };
        for (Object[] f : floats) {
            ScalarOp op = (ScalarOp) f[1];
            m.fn((String) f[0], (a, k) -> floatUnary(op, new Args((String) f[0], a, k).get(0, "x", null)));
        }
        Object[][] same = {
            {"abs", ScalarOps.ABS}, {"absolute", ScalarOps.ABS}, {"square", ScalarOps.SQR},
            {"sign", ScalarOps.SGN}, {"negative", ScalarOps.NEG},
        };
        for (Object[] f : same) {
            ScalarOp op = (ScalarOp) f[1];
            m.fn((String) f[0], (a, k) -> sameUnary(op, new Args((String) f[0], a, k).get(0, "x", null)));
        }
        Object[][] binaries = {
            {"add", ScalarOps.ADD}, {"subtract", ScalarOps.SUB}, {"multiply", ScalarOps.MUL},
            {"divide", ScalarOps.TRUE_DIV}, {"true_divide", ScalarOps.TRUE_DIV}, {"floor_divide", ScalarOps.INT_DIV},
            {"mod", ScalarOps.MOD}, {"remainder", ScalarOps.MOD}, {"power", ScalarOps.POW},
            {"maximum", ScalarOps.MAXIMUM}, {"minimum", ScalarOps.MINIMUM},
        };
        for (Object[] f : binaries) {
            ScalarOp op = (ScalarOp) f[1];
            m.fn((String) f[0], (a, k) -> {
                Args p = new Args((String) f[0], a, k);
                return binary(op, p.get(0, "x1", null), p.get(1, "x2", null));
            });
        }
        m.fn("isnan", (a, k) -> predicate(ScalarOps.ISNAN, a.get(0)));
        m.fn("isinf", (a, k) -> predicate(ScalarOps.ISINF, a.get(0)));
        m.fn("isfinite", (a, k) -> {
            NDArray x = NumpyModule.asarray(a.get(0), null);
            NDArray out = NDArray.zeros(DType.BOOL, x.shape());
            for (long i = 0; i < x.size(); i++) {
                out.setLong(i, Double.isFinite(x.getDouble(i)) ? 1 : 0);
            }
            return NumpyOps.wrap(out);
        });
        m.fn("round", (a, k) -> round(new Args("round", a, k)));
        m.fn("around", (a, k) -> round(new Args("around", a, k)));
        m.fn("clip", (a, k) -> {
            Args p = new Args("clip", a, k).only("a", "a_min", "a_max");
            return clip(p.get(0, "a", null), p.opt(1, "a_min"), p.opt(2, "a_max"));
        });
    }

    private static Object predicate(ScalarOp op, Object x) {
        DType d = NumpyCasting.declared(x);
        if (!d.isFloat()) {
            NDArray a = NumpyModule.asarray(x, null);
            return NumpyOps.wrap(NDArray.zeros(DType.BOOL, a.shape()));
        }
        return result(NumpyOps.elementwise(op, null, as(x, d)));
    }

    private static Object round(Args p) {
        return round(p.get(0, "a", null), PyOps.toIndex(p.get(1, "decimals", 0L)));
    }

    /** np.round: half to even; with decimals, NumPy scales by 10**decimals, rounds and scales back. */
    static Object round(Object x, int decimals) {
        NDArray a = NumpyModule.asarray(x, null);
        boolean scalar = !(x instanceof NDArray) || a.ndim() == 0;
        NDArray out = a.copy();
        if (a.dtype().isFloat()) {
            boolean single = a.dtype() == DType.FLOAT32;
            double f = Math.pow(10.0, Math.abs(decimals));
            for (long i = 0; i < out.size(); i++) {
                double v = a.getDouble(i);
                double r;
                if (decimals == 0) {
                    r = Math.rint(v);
                } else if (decimals > 0) {
                    double y = single ? (float) (v * (float) f) : v * f;
                    r = Math.rint(y) / (single ? (float) f : f);
                } else {
                    double y = single ? (float) (v / (float) f) : v / f;
                    r = Math.rint(y) * (single ? (float) f : f);
                }
                out.setDouble(i, single ? (float) r : r);
            }
        } else if (decimals < 0) {
            long f = (long) Math.pow(10, -decimals);
            for (long i = 0; i < out.size(); i++) {
                long v = a.getLong(i);
                // half to even on the integer grid
                long q = Math.floorDiv(v, f);
                long rem = v - q * f;
                if (2 * rem > f || (2 * rem == f && (q & 1) == 1)) {
                    q++;
                }
                out.setLong(i, q * f);
            }
        }
        return scalar ? NpScalar.of(out.reshape(new int[0])) : out;
    }

    static Object clip(Object x, Object lo, Object hi) {
        if (lo == PyNone.NONE && hi == PyNone.NONE) {
            throw TslError.of("ValueError", "One of max or min must be given");
        }
        Object r = x;
        if (lo != PyNone.NONE) {
            r = binary(ScalarOps.MAXIMUM, r, lo);
        }
        if (hi != PyNone.NONE) {
            r = binary(ScalarOps.MINIMUM, r, hi);
        }
        return r;
    }
}
