package tsl.rewrite;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.shape.DimShuffle;
import tsl.ops.shape.Reshape;
import tsl.ops.subtensor.Index;
import tsl.ops.subtensor.Subtensor;

/**
 * The canonicalize phase: a normal form that later phases can pattern-match on. Constant
 * chains in sums and products are combined, {@code x*y/x} cancels, and ops that do
 * nothing (a DimShuffle of a DimShuffle, a reshape to the same shape, {@code x[:]}, a
 * switch on a constant) are removed.
 */
final class Canonicalize {
    private Canonicalize() {}

    static void register(RewriteDB db) {
        Algebra.register(db);
        String[] run = {RewriteDB.FAST_RUN};
        String[] both = {RewriteDB.FAST_RUN, RewriteDB.FAST_COMPILE};
        db.local("local_add_mul_fusion", Phase.CANONICALIZE, Elemwise.class, Canonicalize::combineConstants, run);
        db.local("local_mul_canonizer", Phase.CANONICALIZE, Elemwise.class, Canonicalize::cancelDivision, run);
        db.local("local_useless_switch", Phase.CANONICALIZE, Elemwise.class, Canonicalize::constantSwitch, both);
        db.local("local_useless_second", Phase.CANONICALIZE, Elemwise.class, Canonicalize::uselessSecond, run);
        db.local("local_dimshuffle_lift", Phase.CANONICALIZE, DimShuffle.class, Canonicalize::composeDimShuffles, both);
        db.local("local_useless_reshape", Phase.CANONICALIZE, Reshape.class, Canonicalize::uselessReshape, both);
        db.local("local_useless_subtensor", Phase.CANONICALIZE, Subtensor.class, Canonicalize::uselessSubtensor, both);
    }

    // ------------------------------------------------------------------ add / mul chains

    /**
     * Flattens a chain of adds (or of muls) whose inner nodes nothing else uses and combines
     * its scalar constants: {@code (x + 1) + 2} → {@code x + 3}, {@code 2 * (x * 3)} → {@code x * 6}.
     */
    static List<Variable> combineConstants(FunctionGraph g, Apply node) {
        Elemwise e = (Elemwise) node.op();
        ScalarOp op = e.scalar();
        if (e.castTo() != null || !(op.equals(ScalarOps.ADD) || op.equals(ScalarOps.MUL)) || !node.output().dtype().isFloat()) {
            return null; // integer chains could wrap differently once regrouped
        }
        List<Variable> terms = new ArrayList<>();
        flatten(g, node.output(), op, terms, true);
        List<Variable> rest = new ArrayList<>();
        List<Variable> consts = new ArrayList<>();
        double acc = op.equals(ScalarOps.ADD) ? 0 : 1;
        for (Variable t : terms) {
            Double c = Patterns.scalarLike(t) ? Patterns.scalarConstant(t) : null;
            if (c != null) {
                consts.add(t);
                acc = op.equals(ScalarOps.ADD) ? acc + c : acc * c;
            } else if (t.dtype() != node.output().dtype()) {
                return null; // regrouping a narrower term would change where it is rounded
            } else {
                rest.add(t);
            }
        }
        if (consts.size() < 2 || rest.isEmpty()) {
            return null;
        }
        Variable r = rest.get(0);
        for (int i = 1; i < rest.size(); i++) {
            r = T.elemwise(op, r, rest.get(i));
        }
        boolean neutral = op.equals(ScalarOps.ADD) ? acc == 0 : acc == 1;
        if (!neutral) {
            r = T.elemwise(op, r, T.constant(acc, node.output().dtype()));
        }
        return Patterns.oneReplacing(r, node, consts.toArray(new Variable[0]));
    }

    private static void flatten(FunctionGraph g, Variable v, ScalarOp op, List<Variable> out, boolean root) {
        Apply a = Patterns.elemwise(v, op);
        if (a != null && (root || Patterns.singleClient(g, v)) && a.output().dtype() == v.dtype()) {
            flatten(g, a.input(0), op, out, false);
            flatten(g, a.input(1), op, out, false);
        } else {
            out.add(v);
        }
    }

    // ------------------------------------------------------------------ x*y/x

    /** (a*b)/a → b and (a*b)/b → a, when dropping the factor cannot change the result's shape. */
    static List<Variable> cancelDivision(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.TRUE_DIV)) {
            return null;
        }
        Apply num = Patterns.elemwise(node.input(0), ScalarOps.MUL);
        if (num == null) {
            return null;
        }
        Variable den = node.input(1);
        if (num.input(0) == den) {
            return Patterns.oneReplacing(num.input(1), node, den);
        }
        if (num.input(1) == den) {
            return Patterns.oneReplacing(num.input(0), node, den);
        }
        return null;
    }

    // ------------------------------------------------------------------ useless ops

    /** switch(c, a, b) with a constant condition: the chosen branch. */
    static List<Variable> constantSwitch(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.SWITCH)) {
            return null;
        }
        Double c = Patterns.scalarConstant(node.input(0));
        if (c == null) {
            return null;
        }
        Variable taken = c != 0 ? node.input(1) : node.input(2);
        Variable other = c != 0 ? node.input(2) : node.input(1);
        return Patterns.oneReplacing(taken, node, node.input(0), other);
    }

    /** second(x, y) (fill) when y already has the output's shape: y. */
    static List<Variable> uselessSecond(FunctionGraph g, Apply node) {
        if (!(node.op() instanceof Elemwise e) || !e.scalar().equals(ScalarOps.SECOND)) {
            return null;
        }
        return Patterns.oneReplacing(node.input(1), node, node.input(0));
    }

    /** DimShuffle(DimShuffle(x)) → one DimShuffle, or x itself when the two cancel. */
    static List<Variable> composeDimShuffles(FunctionGraph g, Apply node) {
        int[] outer = ((DimShuffle) node.op()).pattern();
        Variable x = node.input(0);
        if (isIdentity(outer, x.ndim())) {
            return List.of(x);
        }
        if (!(x.owner() != null && x.owner().op() instanceof DimShuffle innerOp)) {
            return null;
        }
        int[] inner = innerOp.pattern();
        int[] composed = new int[outer.length];
        for (int i = 0; i < outer.length; i++) {
            composed[i] = outer[i] == DimShuffle.NEW_AXIS ? DimShuffle.NEW_AXIS : inner[outer[i]];
        }
        Variable src = x.owner().input(0);
        if (isIdentity(composed, src.ndim())) {
            return Patterns.one(src, node);
        }
        return Patterns.one(new DimShuffle(composed).makeNode(List.of(src)).output(), node);
    }

    private static boolean isIdentity(int[] p, int ndim) {
        if (p.length != ndim) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (p[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** reshape(x, s) when s is x's static shape → x; reshape(reshape(x, s1), s2) → reshape(x, s2). */
    static List<Variable> uselessReshape(FunctionGraph g, Apply node) {
        Variable x = node.input(0);
        Variable shape = node.input(1);
        if (shape instanceof Constant c && x.ndim() == node.output().ndim()) {
            long[] s = c.value().toLongArray();
            boolean same = true;
            for (int d = 0; d < s.length && same; d++) {
                same = x.type().dim(d) != -1 && x.type().dim(d) == s[d];
            }
            if (same) {
                return Patterns.one(x, node);
            }
        }
        if (x.owner() != null && x.owner().op() instanceof Reshape) {
            return Patterns.one(node.op().makeNode(List.of(x.owner().input(0), shape)).output(), node);
        }
        return null;
    }

    /** x[:, :] (every entry a full slice, no new axis) → x. */
    static List<Variable> uselessSubtensor(FunctionGraph g, Apply node) {
        Subtensor op = (Subtensor) node.op();
        for (Index i : op.idx()) {
            if (!(i instanceof Index.Range r) || !r.equals(Index.Range.ALL)) {
                return null;
            }
        }
        return Patterns.one(node.input(0), node);
    }
}
