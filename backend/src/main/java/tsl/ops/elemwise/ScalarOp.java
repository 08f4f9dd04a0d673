package tsl.ops.elemwise;

import java.util.List;
import java.util.function.Function;

import tsl.graph.Variable;
import tsl.tensor.DType;

/**
 * One elementwise operation, defined once: its output dtype rule, its value on doubles and on
 * integers (the jvm reference), its C expression (native and CUDA code generation) and its
 * gradient. {@link Elemwise} lifts it to tensors; fusion composes several into one loop.
 */
public record ScalarOp(String name, int nin, OutputRule outputRule, RealFn real, IntFn integer,
                       Function<String[], String> c, GradRule grad) {

    /** How the output dtype follows from the input dtypes. */
    public enum OutputRule {
        /** NumPy promotion of the inputs (add, mul, maximum...). */
        UPCAST,
        /** Promotion, then integers become floats: int8/int16/bool → float32, wider → float64 (exp, true_div...). */
        UPGRADE_TO_FLOAT,
        /** Always bool (comparisons, logic). */
        BOOL,
        /** Integer promotion only: an error on floats (bitwise ops). */
        INTEGER,
        /** Promotion of every input but the first, which only selects (switch's condition). */
        UPCAST_BRANCHES
    }

    @FunctionalInterface
    public interface RealFn { double apply(double[] x); }

    @FunctionalInterface
    public interface IntFn { long apply(long[] x); }

    /** Gradients w.r.t. each input given the output {@code z} and its gradient {@code gz}; null entries are zero. */
    @FunctionalInterface
    public interface GradRule { List<Variable> grad(List<Variable> x, Variable z, Variable gz); }

    public DType outputDtype(DType... in) {
        int first = outputRule == OutputRule.UPCAST_BRANCHES ? 1 : 0;
        DType d = in[first];
        for (int i = first + 1; i < in.length; i++) {
            d = DType.promote(d, in[i]);
        }
        return switch (outputRule) {
            case UPCAST, UPCAST_BRANCHES -> d;
            case BOOL -> DType.BOOL;
            case INTEGER -> d;
            case UPGRADE_TO_FLOAT -> upgradeToFloat(d);
        };
    }

    public static DType upgradeToFloat(DType d) {
        if (d.isFloat()) {
            return d;
        }
        return d.byteSize() <= 2 ? DType.FLOAT32 : DType.FLOAT64;
    }

    /** Whether the jvm reference computes in integers: only when every input and the output are discrete. */
    public boolean computesInIntegers(DType out, DType... in) {
        if (integer == null) {
            return false;
        }
        for (DType d : in) {
            if (d.isFloat()) {
                return false;
            }
        }
        return !out.isFloat() || outputRule == OutputRule.BOOL;
    }

    @Override
    public String toString() {
        return name;
    }
}
