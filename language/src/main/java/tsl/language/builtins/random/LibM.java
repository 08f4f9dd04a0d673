package tsl.language.builtins.random;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The C library's log, sin, cos and exp. NumPy's and CPython's samplers call these, and
 * Java's Math/StrictMath can differ from them in the last bit, which would change a printed
 * sample (and, through rejection loops, every later draw). Without a C library (not Linux),
 * StrictMath stands in.
 */
public final class LibM {
    private static final MethodHandle LOG = find("log");
    private static final MethodHandle SIN = find("sin");
    private static final MethodHandle COS = find("cos");
    private static final MethodHandle EXP = find("exp");

    private LibM() {}

    private static MethodHandle find(String name) {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find(name)
                    .map(addr -> linker.downcallHandle(addr, FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ValueLayout.JAVA_DOUBLE)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static double call(MethodHandle h, double x) {
        try {
            return (double) h.invokeExact(x);
        } catch (Throwable t) {
            throw new IllegalStateException("libm call failed", t);
        }
    }

    public static double log(double x) {
        return LOG == null ? StrictMath.log(x) : call(LOG, x);
    }

    public static double sin(double x) {
        return SIN == null ? StrictMath.sin(x) : call(SIN, x);
    }

    public static double cos(double x) {
        return COS == null ? StrictMath.cos(x) : call(COS, x);
    }

    public static double exp(double x) {
        return EXP == null ? StrictMath.exp(x) : call(EXP, x);
    }
}
