package tsl.printing;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.blas.Gemm;
import tsl.ops.blas.Gemv;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOps;

/** How ops and variables are named in printed graphs, following Theano's spelling. */
final class OpNames {
    private OpNames() {}

    /** {@code Elemwise{add,no_inplace}}, {@code Elemwise{Cast{float32}}}, {@code Elemwise{Composite{...}}}, {@code Gemv{no_inplace}}. */
    static String op(Apply node) {
        Object op = node.op();
        if (op instanceof Elemwise e) {
            // Theano's display of an in-place loop: the destroy map as (output, input) pairs after the name
            String destroys = e.inplace() < 0 ? "" : "[(0, " + e.inplace() + ")]";
            if (e.castTo() != null && e.scalar().equals(ScalarOps.IDENTITY)) {
                return "Elemwise{Cast{" + e.castTo() + "}}" + destroys;
            }
            String n = e.scalar().name();
            if (n.startsWith("Composite{")) {
                return "Elemwise{" + n + "}" + destroys;
            }
            return e.inplace() < 0 ? "Elemwise{" + n + ",no_inplace}" : "Elemwise{" + n + ",inplace}";
        }
        if (op instanceof Gemv) {
            return "Gemv{no_inplace}";
        }
        if (op instanceof Gemm) {
            return "Gemm{no_inplace}";
        }
        return op.toString();
    }

    /** Theano's type display: {@code TensorType(float64, vector)}. */
    static String type(TensorType t) {
        return "TensorType(" + t.dtype() + ", " + t.kindName() + ")";
    }

    /** A leaf's display: its name, {@code TensorConstant{...}}, or {@code <TensorType(...)>}. */
    static String leaf(Variable v) {
        if (v instanceof Constant c) {
            return c.name() != null ? c.name() : "TensorConstant{" + constantText(c) + "}";
        }
        if (v.name() != null) {
            return v.name();
        }
        return (v instanceof SharedVariable ? "<Shared" : "<") + type(v.type()) + ">";
    }

    private static String constantText(Constant c) {
        var a = c.value();
        if (a.size() > 1) {
            double first = a.getDouble(0);
            boolean same = true;
            for (long i = 1; i < a.size() && same; i++) {
                same = a.getDouble(i) == first;
            }
            if (same || a.size() > 10) {
                String shape = tsl.tensor.Shapes.format(a.shape());
                return same ? shape + " of " + tsl.tensor.NDArray.fromDoubles(a.dtype(), new int[0], new double[] {first}) : shape;
            }
        }
        return a.toString().replace('\n', ' ');
    }

    /** Theano's ids: A … Z, BA, BB … (base 26 with A as the zero digit). */
    static String id(int n) {
        StringBuilder sb = new StringBuilder();
        do {
            sb.append((char) ('A' + n % 26));
            n /= 26;
        } while (n > 0);
        return sb.reverse().toString();
    }
}
