package tsl.rewrite;

import java.util.List;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOps;

/**
 * Algebraic identities that remove work: {@code x*1}, {@code x+0}, {@code x-0}, {@code x/1},
 * {@code x**1}, {@code --x}, and the sign normal form ({@code -(a-b)} → {@code b-a},
 * {@code a-(-b)} → {@code a+b}, {@code a+(-b)} → {@code a-b}). They run in every phase,
 * because the stabilize and specialize rewrites leave such patterns behind.
 */
final class Algebra {
    private Algebra() {}

    private static final Set<Phase> ALL = Set.of(Phase.CANONICALIZE, Phase.STABILIZE, Phase.SPECIALIZE);

    static void register(RewriteDB db) {
        reg(db, "local_useless_elemwise", Algebra::uselessIdentity, true);
        reg(db, "local_mul_by_one", Algebra::neutralOperand, true);
        reg(db, "local_neg_neg", Algebra::negNeg, true);
        reg(db, "local_neg_sub", Algebra::negSub, false);
        reg(db, "local_sub_neg", Algebra::subNeg, false);
        reg(db, "local_add_neg", Algebra::addNeg, false);
    }

    private static void reg(RewriteDB db, String name, NodeRewriter rw, boolean fastCompile) {
        Set<String> tags = fastCompile ? Set.of(RewriteDB.FAST_RUN, RewriteDB.FAST_COMPILE, "canonicalize")
                : Set.of(RewriteDB.FAST_RUN, "canonicalize");
        db.register(new Rewrite(name, ALL, tags, Elemwise.class, rw));
    }

    /** identity elemwise, and casts to the dtype the input already has. */
    static List<Variable> uselessIdentity(FunctionGraph g, Apply node) {
        Elemwise e = (Elemwise) node.op();
        if (!e.scalar().equals(ScalarOps.IDENTITY)) {
            return null;
        }
        Variable x = node.input(0);
        if (e.castTo() != null && e.castTo() != x.dtype()) {
            return null;
        }
        return Patterns.one(x, node);
    }

    /** x*1, 1*x, x+0, 0+x, x-0, x/1, x**1: the other operand, when it cannot change the shape. */
    static List<Variable> neutralOperand(FunctionGraph g, Apply node) {
        Elemwise e = (Elemwise) node.op();
        if (e.castTo() != null || node.inputs().size() != 2) {
            return null;
        }
        Variable a = node.input(0);
        Variable b = node.input(1);
        Variable keep = null;
        Variable drop = null;
        if (e.scalar().equals(ScalarOps.MUL)) {
            if (Patterns.isConstant(b, 1)) {
                keep = a;
                drop = b;
            } else if (Patterns.isConstant(a, 1)) {
                keep = b;
                drop = a;
            }
        } else if (e.scalar().equals(ScalarOps.ADD)) {
            if (Patterns.isConstant(b, 0)) {
                keep = a;
                drop = b;
            } else if (Patterns.isConstant(a, 0)) {
                keep = b;
                drop = a;
            }
        } else if (e.scalar().equals(ScalarOps.SUB) && Patterns.isConstant(b, 0)
                || e.scalar().equals(ScalarOps.TRUE_DIV) && Patterns.isConstant(b, 1)
                || e.scalar().equals(ScalarOps.POW) && Patterns.isConstant(b, 1)) {
            keep = a;
            drop = b;
        }
        if (keep == null) {
            return null;
        }
        return Patterns.oneReplacing(keep, node, drop);
    }

    static List<Variable> negNeg(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.NEG)) {
            return null;
        }
        Apply inner = Patterns.elemwise(node.input(0), ScalarOps.NEG);
        return inner == null ? null : Patterns.one(inner.input(0), node);
    }

    /** -(a - b) → b - a */
    static List<Variable> negSub(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.NEG)) {
            return null;
        }
        Apply inner = Patterns.elemwise(node.input(0), ScalarOps.SUB);
        if (inner == null || !Patterns.singleClient(g, inner.output())) {
            return null;
        }
        return Patterns.one(T.sub(inner.input(1), inner.input(0)), node);
    }

    /** a - (-b) → a + b */
    static List<Variable> subNeg(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.SUB)) {
            return null;
        }
        Apply inner = Patterns.elemwise(node.input(1), ScalarOps.NEG);
        return inner == null ? null : Patterns.one(T.add(node.input(0), inner.input(0)), node);
    }

    /** a + (-b) → a - b and (-a) + b → b - a */
    static List<Variable> addNeg(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.ADD)) {
            return null;
        }
        Apply right = Patterns.elemwise(node.input(1), ScalarOps.NEG);
        if (right != null) {
            return Patterns.one(T.sub(node.input(0), right.input(0)), node);
        }
        Apply left = Patterns.elemwise(node.input(0), ScalarOps.NEG);
        if (left != null) {
            return Patterns.one(T.sub(node.input(1), left.input(0)), node);
        }
        return null;
    }
}
