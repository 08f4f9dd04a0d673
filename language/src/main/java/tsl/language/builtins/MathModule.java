package tsl.language.builtins;

import java.util.function.DoubleUnaryOperator;

import tsl.language.runtime.Arith;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.TslError;

/** Python's math module (the common functions). */
final class MathModule {
    private MathModule() {}

    static PyModule create() {
        PyModule m = new PyModule("math");
        m.put("pi", Math.PI).put("e", Math.E).put("inf", Double.POSITIVE_INFINITY).put("nan", Double.NaN).put("tau", 2 * Math.PI);
        f(m, "sqrt", x -> {
            if (x < 0) {
                throw TslError.of("ValueError", "math domain error");
            }
            return Math.sqrt(x);
        });
        f(m, "exp", Math::exp);
        f(m, "log10", Math::log10);
        f(m, "log2", x -> Math.log(x) / Math.log(2));
        f(m, "log1p", Math::log1p);
        f(m, "expm1", Math::expm1);
        f(m, "sin", Math::sin);
        f(m, "cos", Math::cos);
        f(m, "tan", Math::tan);
        f(m, "asin", Math::asin);
        f(m, "acos", Math::acos);
        f(m, "atan", Math::atan);
        f(m, "sinh", Math::sinh);
        f(m, "cosh", Math::cosh);
        f(m, "tanh", Math::tanh);
        f(m, "fabs", Math::abs);
        m.fn("log", (a, k) -> {
            double x = Arith.toDouble(a.get(0));
            if (x <= 0) {
                throw TslError.of("ValueError", "math domain error");
            }
            return a.size() > 1 ? Math.log(x) / Math.log(Arith.toDouble(a.get(1))) : Math.log(x);
        });
        m.fn("floor", (a, k) -> (long) Math.floor(Arith.toDouble(a.get(0))));
        m.fn("ceil", (a, k) -> (long) Math.ceil(Arith.toDouble(a.get(0))));
        m.fn("pow", (a, k) -> Math.pow(Arith.toDouble(a.get(0)), Arith.toDouble(a.get(1))));
        m.fn("atan2", (a, k) -> Math.atan2(Arith.toDouble(a.get(0)), Arith.toDouble(a.get(1))));
        m.fn("isnan", (a, k) -> Double.isNaN(Arith.toDouble(a.get(0))));
        m.fn("isinf", (a, k) -> Double.isInfinite(Arith.toDouble(a.get(0))));
        return m;
    }

    private static void f(PyModule m, String name, DoubleUnaryOperator op) {
        m.fn(name, (a, k) -> op.applyAsDouble(Arith.toDouble(a.get(0))));
    }
}
