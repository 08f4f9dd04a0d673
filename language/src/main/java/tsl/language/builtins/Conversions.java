package tsl.language.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import tsl.language.runtime.Arith;
import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyClass;
import tsl.language.runtime.PyInstance;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.tensor.NDArray;

/** int(), float(), isinstance() and type() over TSL's values. */
final class Conversions {
    private Conversions() {}

    static Object toInt(List<Object> a) {
        if (a.isEmpty()) {
            return 0L;
        }
        Object x = a.get(0);
        if (x instanceof NpScalar s) {
            x = s.toPython();
        }
        if (x instanceof NDArray arr && arr.size() == 1) {
            x = arr.dtype().isFloat() ? (Object) arr.item() : (Object) arr.itemLong();
        }
        if (x instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (Arith.isInt(x)) {
            return x;
        }
        if (x instanceof Double d) {
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw TslError.of(Double.isNaN(d) ? "ValueError" : "OverflowError", "cannot convert float " + PyStr.repr(d) + " to integer");
            }
            return Arith.norm(new BigDecimal(d).toBigInteger());
        }
        if (x instanceof String s) {
            int base = a.size() > 1 ? (int) Arith.toLong(a.get(1)) : 10;
            try {
                return Arith.norm(new BigInteger(s.strip().replace("_", ""), base));
            } catch (NumberFormatException e) {
                throw TslError.of("ValueError", "invalid literal for int() with base " + base + ": " + PyStr.repr(s));
            }
        }
        throw TslError.of("TypeError", "int() argument must be a string, a bytes-like object or a real number, not '" + PyOps.typeName(x) + "'");
    }

    static Object toFloat(List<Object> a) {
        if (a.isEmpty()) {
            return 0.0;
        }
        Object x = a.get(0);
        if (x instanceof NpScalar s) {
            return s.doubleValue();
        }
        if (x instanceof NDArray arr && arr.size() == 1) {
            return arr.item();
        }
        if (Arith.isNumber(x)) {
            return Arith.toDouble(x);
        }
        if (x instanceof String s) {
            String t = s.strip().toLowerCase();
            switch (t) {
                case "nan", "+nan", "-nan": return Double.NaN;
                case "inf", "+inf", "infinity", "+infinity": return Double.POSITIVE_INFINITY;
                case "-inf", "-infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
            try {
                return Double.parseDouble(t.replace("_", ""));
            } catch (NumberFormatException e) {
                throw TslError.of("ValueError", "could not convert string to float: " + PyStr.repr(s));
            }
        }
        throw TslError.of("TypeError", "float() argument must be a string or a real number, not '" + PyOps.typeName(x) + "'");
    }

    static boolean isinstance(Object o, Object type) {
        if (type instanceof PyTuple t) {
            for (Object x : t.items) {
                if (isinstance(o, x)) {
                    return true;
                }
            }
            return false;
        }
        if (type instanceof PyClass c) {
            if (c.name.equals("object") && c.base == null) {
                return true;
            }
            return o instanceof PyInstance inst && inst.cls.isSubclassOf(c);
        }
        if (type instanceof BuiltinFunction b) {
            String n = PyOps.typeName(o);
            return switch (b.name) {
                case "int" -> n.equals("int") || n.equals("bool");
                case "float" -> n.equals("float");
                default -> n.equals(b.name);
            };
        }
        if (type instanceof NumpyModule.DTypeObject d) {
            return o instanceof NpScalar s && s.dtype() == d.dtype();
        }
        if (type instanceof tsl.language.runtime.PyModule) {
            throw TslError.of("TypeError", "isinstance() arg 2 must be a type or tuple of types");
        }
        return false;
    }

    static Object typeOf(Object o, Map<String, Object> builtins) {
        if (o instanceof PyInstance inst) {
            return inst.cls;
        }
        Object b = builtins.get(PyOps.typeName(o));
        if (b != null) {
            return b;
        }
        return new BuiltinFunction(PyOps.typeName(o), (a, k) -> {
            throw TslError.of("TypeError", "cannot create '" + PyOps.typeName(o) + "' instances");
        }, true);
    }
}
