package tsl.rewrite;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.nnet.Softmax;

/**
 * The stabilize phase: expressions that overflow or lose every digit in floating point are
 * replaced by equivalent ones that do not. {@code 1/(1+exp(-x))} is recognised as
 * sigmoid first, so that the logistic-regression crossentropy
 * {@code -y*log(p) - (1-y)*log(1-p)} ends up as softplus terms that stay finite for
 * any x.
 */
final class Stabilize {
    private Stabilize() {}

    static void register(RewriteDB db) {
        String[] tags = {RewriteDB.FAST_RUN, "stabilize"};
        db.local("local_exp_over_1_plus_exp", Phase.STABILIZE, Elemwise.class, Stabilize::sigmoidOfRatio, tags);
        db.local("local_1msigmoid", Phase.STABILIZE, Elemwise.class, Stabilize::oneMinusSigmoid, tags);
        db.local("local_log_sigmoid", Phase.STABILIZE, Elemwise.class, Stabilize::logSigmoid, tags);
        db.local("local_log1p_exp", Phase.STABILIZE, Elemwise.class, Stabilize::logOnePlusExp, tags);
        db.local("local_log1p", Phase.STABILIZE, Elemwise.class, Stabilize::logOnePlus, tags);
        db.local("local_expm1", Phase.STABILIZE, Elemwise.class, Stabilize::expMinusOne, tags);
        db.local("local_log_softmax", Phase.STABILIZE, Elemwise.class, Stabilize::logSoftmax, tags);
    }

    /** The operand of {@code 1 + t} or {@code t + 1} (1 a scalar constant), else null. */
    private static Variable onePlus(Variable v) {
        Apply add = Patterns.elemwise(v, ScalarOps.ADD);
        if (add == null) {
            return null;
        }
        if (Patterns.scalarLike(add.input(0)) && Patterns.isConstant(add.input(0), 1)) {
            return add.input(1);
        }
        if (Patterns.scalarLike(add.input(1)) && Patterns.isConstant(add.input(1), 1)) {
            return add.input(0);
        }
        return null;
    }

    /** 1 / (1 + exp(t)) → sigmoid(-t);  exp(t) / (1 + exp(t)) → sigmoid(t). */
    static List<Variable> sigmoidOfRatio(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.TRUE_DIV)) {
            return null;
        }
        Variable den = onePlus(node.input(1));
        Apply exp = den == null ? null : Patterns.elemwise(den, ScalarOps.EXP);
        if (exp == null) {
            return null;
        }
        Variable t = exp.input(0);
        Variable num = node.input(0);
        if (Patterns.scalarLike(num) && Patterns.isConstant(num, 1)) {
            return Patterns.one(T.sigmoid(T.neg(t)), node);
        }
        if (num == exp.output()) {
            return Patterns.one(T.sigmoid(t), node);
        }
        return null;
    }

    /** 1 - sigmoid(x) → sigmoid(-x). */
    static List<Variable> oneMinusSigmoid(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.SUB)) {
            return null;
        }
        Variable one = node.input(0);
        Apply s = Patterns.elemwise(node.input(1), ScalarOps.SIGMOID);
        if (s == null || !Patterns.scalarLike(one) || !Patterns.isConstant(one, 1)) {
            return null;
        }
        return Patterns.one(T.sigmoid(T.neg(s.input(0))), node);
    }

    /** log(sigmoid(x)) → -softplus(-x). */
    static List<Variable> logSigmoid(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.LOG)) {
            return null;
        }
        Apply s = Patterns.elemwise(node.input(0), ScalarOps.SIGMOID);
        if (s == null) {
            return null;
        }
        return Patterns.one(T.neg(T.softplus(T.neg(s.input(0)))), node);
    }

    /** log(1 + exp(x)) → softplus(x);  log1p(exp(x)) → softplus(x). */
    static List<Variable> logOnePlusExp(FunctionGraph g, Apply node) {
        Variable arg;
        if (Patterns.isElemwise(node, ScalarOps.LOG)) {
            arg = onePlus(node.input(0));
        } else if (Patterns.isElemwise(node, ScalarOps.LOG1P)) {
            arg = node.input(0);
        } else {
            return null;
        }
        Apply exp = arg == null ? null : Patterns.elemwise(arg, ScalarOps.EXP);
        return exp == null ? null : Patterns.one(T.softplus(exp.input(0)), node);
    }

    /** log(1 + x) → log1p(x);  log(1 - x) → log1p(-x). */
    static List<Variable> logOnePlus(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.LOG)) {
            return null;
        }
        Variable x = onePlus(node.input(0));
        if (x != null) {
            return Patterns.one(T.log1p(x), node);
        }
        Apply sub = Patterns.elemwise(node.input(0), ScalarOps.SUB);
        if (sub != null && Patterns.scalarLike(sub.input(0)) && Patterns.isConstant(sub.input(0), 1)
                && Patterns.elemwise(sub.input(1), ScalarOps.SIGMOID) == null) {
            return Patterns.one(T.log1p(T.neg(sub.input(1))), node);
        }
        return null;
    }

    /** exp(x) - 1 → expm1(x). */
    static List<Variable> expMinusOne(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.SUB)) {
            return null;
        }
        Apply exp = Patterns.elemwise(node.input(0), ScalarOps.EXP);
        Variable one = node.input(1);
        if (exp == null || !Patterns.scalarLike(one) || !Patterns.isConstant(one, 1)) {
            return null;
        }
        return Patterns.one(T.expm1(exp.input(0)), node);
    }

    /** log(softmax(x)) → log_softmax(x). */
    static List<Variable> logSoftmax(FunctionGraph g, Apply node) {
        if (!Patterns.isElemwise(node, ScalarOps.LOG)) {
            return null;
        }
        Apply sm = node.input(0).owner();
        if (sm == null || !(sm.op() instanceof Softmax s) || s.log()) {
            return null;
        }
        return Patterns.one(new Softmax(true).makeNode(sm.inputs()).output(), node);
    }
}
