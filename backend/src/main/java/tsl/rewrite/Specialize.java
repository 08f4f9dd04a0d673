package tsl.rewrite;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.Op;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.blas.Dot;
import tsl.ops.blas.Gemm;
import tsl.ops.blas.Gemv;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.shape.DimShuffle;
import tsl.tensor.DType;

/**
 * The specialize phase: general ops become faster special cases. {@code x**2} → sqr,
 * {@code x**0.5} → sqrt, {@code x**-1} → 1/x; float matrix products become BLAS calls
 * (dot → gemv/gemm with beta 0), and a scale or an accumulation around them is folded
 * into the call's alpha and beta, as Theano's gemm optimizer does.
 */
final class Specialize {
    private Specialize() {}

    static void register(RewriteDB db) {
        String[] tags = {RewriteDB.FAST_RUN, "specialize"};
        db.local("local_pow_specialize", Phase.SPECIALIZE, Elemwise.class, Specialize::powSpecialize, tags);
        db.local("local_dot_to_gemv_gemm", Phase.SPECIALIZE, Dot.class, Specialize::dotToBlas, tags);
        db.local("local_gemm_scale", Phase.SPECIALIZE, Elemwise.class, Specialize::scaleBlas, tags);
        db.local("local_gemm_accumulate", Phase.SPECIALIZE, Elemwise.class, Specialize::accumulateBlas, tags);
    }

    static List<Variable> powSpecialize(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.POW) || !Patterns.scalarLike(node.input(1))) {
            return null;
        }
        Double e = Patterns.scalarConstant(node.input(1));
        Variable x = node.input(0);
        if (e == null) {
            return null;
        }
        Variable r;
        if (e == 2) {
            r = T.sqr(x);
        } else if (e == 0.5) {
            r = T.sqrt(x);
        } else if (e == -1 && x.dtype().isFloat()) {
            r = T.trueDiv(T.constant(1, x.dtype()), x);
        } else if (e == -2 && x.dtype().isFloat()) {
            r = T.trueDiv(T.constant(1, x.dtype()), T.sqr(x));
        } else {
            return null;
        }
        return Patterns.one(r, node);
    }

    private static boolean blasDtype(Variable... vs) {
        DType d = vs[0].dtype();
        for (Variable v : vs) {
            if (v.dtype() != d || !d.isFloat()) {
                return false;
            }
        }
        return true;
    }

    /** dot(A, x) → gemv(0, 1, A, x, 0); dot(x, A) → gemv(0, 1, A.T, x, 0); dot(A, B) → gemm(0, 1, A, B, 0). */
    static List<Variable> dotToBlas(FunctionGraph g, Apply node) {
        Variable a = node.input(0);
        Variable b = node.input(1);
        Variable out = node.output();
        if (!blasDtype(a, b, out)) {
            return null;
        }
        DType d = out.dtype();
        Constant one = T.constant(1, d);
        Constant zero = T.constant(0, d);
        if (a.ndim() == 2 && b.ndim() == 1) {
            Variable y = T.alloc(zero, T.shapeI(a, 0));
            return Patterns.one(new Gemv().makeNode(List.of(y, one, a, b, zero)).output(), node);
        }
        if (a.ndim() == 1 && b.ndim() == 2) {
            Variable at = T.transpose(b);
            Variable y = T.alloc(zero, T.shapeI(at, 0));
            return Patterns.one(new Gemv().makeNode(List.of(y, one, at, a, zero)).output(), node);
        }
        if (a.ndim() == 2 && b.ndim() == 2) {
            Variable z = T.alloc(zero, T.shapeI(a, 0), T.shapeI(b, 1));
            return Patterns.one(new Gemm().makeNode(List.of(z, one, a, b, zero)).output(), node);
        }
        return null;
    }

    private static boolean isBlas(Apply a) {
        return a != null && (a.op() instanceof Gemv || a.op() instanceof Gemm);
    }

    /** The 0-d variable a scalar-like operand broadcasts: c for DimShuffle{x,..}(c), or a 0-d constant. */
    private static Variable scalarOf(Variable v) {
        if (!Patterns.scalarLike(v)) {
            return null;
        }
        if (v.ndim() == 0) {
            return v;
        }
        Double c = Patterns.scalarConstant(v);
        if (c != null) {
            return T.constant(c, v.dtype());
        }
        Apply ds = v.owner();
        if (ds != null && ds.op() instanceof DimShuffle && ds.input(0).ndim() == 0) {
            return ds.input(0);
        }
        return null;
    }

    /** s * blas(z, a, A, B, b) → blas(z, a*s, A, B, b*s), for a scalar s. */
    static List<Variable> scaleBlas(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.MUL)) {
            return null;
        }
        for (int side = 0; side < 2; side++) {
            Apply blas = node.input(side).owner();
            Variable s = scalarOf(node.input(1 - side));
            // the scale may be narrower (a float32 literal); the product must already have the output's dtype
            if (!isBlas(blas) || s == null || blas.output().dtype() != node.output().dtype()
                    || !Patterns.singleClient(g, blas.output())) {
                continue;
            }
            Variable alpha = T.mul(blas.input(1), s);
            Variable beta = Patterns.isConstant(blas.input(4), 0) ? blas.input(4) : T.mul(blas.input(4), s);
            return Patterns.one(remake(blas, blas.input(0), alpha, beta), node);
        }
        return null;
    }

    /** z + blas(_, a, A, B, 0) → blas(z, a, A, B, 1);  z - blas(_, a, A, B, 0) → blas(z, -a, A, B, 1). */
    static List<Variable> accumulateBlas(FunctionGraph g, Apply node) {
        boolean add = Patterns.isElemwise(node, ScalarOps.ADD);
        boolean sub = Patterns.isElemwise(node, ScalarOps.SUB);
        if (!add && !sub) {
            return null;
        }
        for (int side = add ? 0 : 1; side < 2; side++) {
            Apply blas = node.input(side).owner();
            Variable z = node.input(1 - side);
            if (!isBlas(blas) || !Patterns.isConstant(blas.input(4), 0) || !Patterns.singleClient(g, blas.output())
                    || z.dtype() != node.output().dtype() || blas.output().dtype() != node.output().dtype()) {
                continue;
            }
            Variable alpha = sub ? T.neg(blas.input(1)) : blas.input(1);
            return Patterns.one(remake(blas, z, alpha, T.constant(1, z.dtype())), node);
        }
        return null;
    }

    private static Variable remake(Apply blas, Variable z, Variable alpha, Variable beta) {
        Op op = blas.op();
        DType d = blas.output().dtype();
        return op.makeNode(List.of(z, T.cast(alpha, d), blas.input(2), blas.input(3), T.cast(beta, d))).output();
    }
}
