package tsl.grad;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;

/**
 * jacobian, hessian and Lop (theano.gradient's), all built on reverse mode. Rows of a jacobian
 * are the gradients of the output's elements: stacked directly when the output's length is
 * static, else computed by an {@link IndexMap} loop at run time.
 */
public final class Derivatives {
    private Derivatives() {}

    /**
     * The jacobian of the vector {@code expression} with respect to each of {@code wrt}: one
     * tensor of shape (len(expression),) + wrt.shape per wrt. A scalar expression gives its gradient.
     */
    public static List<Variable> jacobian(Variable expression, List<Variable> wrt, Set<Variable> considerConstant,
                                          String disconnectedInputs) {
        return jacobian(expression, wrt, considerConstant, disconnectedInputs, TensorType.UNKNOWN);
    }

    /** {@code length}: the expression's length when the caller knows it statically and its type does not. */
    private static List<Variable> jacobian(Variable expression, List<Variable> wrt, Set<Variable> considerConstant,
                                           String disconnectedInputs, int length) {
        if (expression.ndim() > 1) {
            throw new TslException("AssertionError", "jacobian expects a 1 dimensional variable as `expression`, got one with ndim "
                    + expression.ndim() + ". If not use flatten to make it a vector");
        }
        Gradient.Options opts = new Gradient.Options().considerConstant(considerConstant).disconnectedInputs(disconnectedInputs);
        if (expression.ndim() == 0) {
            return Gradient.grad(expression, wrt, opts);
        }
        int n = expression.type().dim(0) != TensorType.UNKNOWN ? expression.type().dim(0) : length;
        List<Variable> result = new ArrayList<>();
        if (n != TensorType.UNKNOWN) {
            List<List<Variable>> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rows.add(Gradient.grad(T.subtensor(expression, i), wrt, opts));
            }
            for (int j = 0; j < wrt.size(); j++) {
                List<Variable> col = new ArrayList<>();
                for (List<Variable> row : rows) {
                    col.add(row.get(j));
                }
                result.add(n == 0 ? emptyRows(wrt.get(j)) : T.stack(col, 0));
            }
            return result;
        }
        Variable index = new Variable(new TensorType(DType.INT64), "i");
        List<Variable> rowGrads = Gradient.grad(T.subtensor(expression, index), wrt, opts);
        Variable rows = T.shapeI(expression, 0);
        for (Variable g : rowGrads) {
            result.add(IndexMap.map(rows, index, g));
        }
        return result;
    }

    private static Variable emptyRows(Variable w) {
        Object[] shape = new Object[w.ndim() + 1];
        shape[0] = 0L;
        for (int d = 0; d < w.ndim(); d++) {
            shape[d + 1] = T.shapeI(w, d);
        }
        return T.zeros(shape, w.dtype().isFloat() ? w.dtype() : tsl.compile.Config.floatX());
    }

    /** The hessian of the scalar {@code cost} with respect to each vector of {@code wrt}. */
    public static List<Variable> hessian(Variable cost, List<Variable> wrt, Set<Variable> considerConstant,
                                         String disconnectedInputs) {
        if (cost.ndim() != 0) {
            throw new TslException("AssertionError", "hessian expects a 0 dimensional variable as `cost`, got one with ndim "
                    + cost.ndim());
        }
        List<Variable> result = new ArrayList<>();
        for (Variable w : wrt) {
            if (w.ndim() != 1) {
                throw new TslException("AssertionError", "hessian expects a (list of) 1 dimensional variable as `wrt`, got "
                        + w + " with ndim " + w.ndim());
            }
            Variable g = Gradient.grad(cost, List.of(w),
                    new Gradient.Options().considerConstant(considerConstant).disconnectedInputs(disconnectedInputs)).get(0);
            // g has w's shape, so a static length of w is the number of rows
            result.add(jacobian(g, List.of(w), considerConstant, disconnectedInputs, w.type().dim(0)).get(0));
        }
        return result;
    }

    /**
     * The L-operator: for each wrt, the sum over i of evalPoints[i] times the jacobian of f[i]
     * with respect to it (a vector-jacobian product, one reverse pass).
     */
    public static List<Variable> lop(List<Variable> f, List<Variable> wrt, List<Variable> evalPoints,
                                     Set<Variable> considerConstant, String disconnectedInputs) {
        if (f.size() != evalPoints.size()) {
            throw TslException.valueError("Lop: f and eval_points must have the same length, got " + f.size() + " and "
                    + evalPoints.size());
        }
        Map<Variable, Variable> known = new LinkedHashMap<>();
        Map<Variable, Variable> seen = new IdentityHashMap<>();
        for (int i = 0; i < f.size(); i++) {
            Variable fi = f.get(i);
            Variable e = T.asTensorVariable(evalPoints.get(i));
            if (e.ndim() != fi.ndim()) {
                throw TslException.valueError("Lop: element " + i + " of f and of eval_points have mismatched dimensionality: "
                        + fi.ndim() + " and " + e.ndim());
            }
            Variable prev = seen.put(fi, e);
            known.put(fi, prev == null ? e : T.add(prev, e));
        }
        return Gradient.grad(null, wrt, new Gradient.Options().knownGrads(known).considerConstant(considerConstant)
                .disconnectedInputs(disconnectedInputs));
    }
}
