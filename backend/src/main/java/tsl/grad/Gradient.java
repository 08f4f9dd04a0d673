package tsl.grad;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.compile.Config;
import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;

/**
 * Reverse-mode differentiation (Theano's {@code theano.grad}): gradients are ordinary graphs
 * built from each op's {@code grad}, so they can be differentiated again.
 *
 * <p>Three kinds of "no gradient" are kept apart, as in Theano: a variable the cost does not
 * depend on at all is <em>disconnected</em> (an error by default); one it depends on only
 * through integer values (comparisons, argmax, casts to int, integer inputs) has a
 * <em>zero</em> gradient; one whose op has no gradient rule gets a {@link NullGradient}.
 */
public final class Gradient {
    private Gradient() {}

    /** The keyword arguments of theano.grad. */
    public static final class Options {
        Set<Variable> considerConstant = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Variable, Variable> knownGrads = new LinkedHashMap<>();
        String disconnectedInputs = "raise";
        String returnDisconnected = "zero";
        String nullGradients = "raise";

        public Options considerConstant(java.util.Collection<Variable> vs) {
            if (vs != null) {
                considerConstant.addAll(vs);
            }
            return this;
        }

        /** Gradients of the cost with respect to intermediate variables, given by the caller (the cost may then be null). */
        public Options knownGrads(Map<Variable, Variable> kg) {
            if (kg != null) {
                knownGrads.putAll(kg);
            }
            return this;
        }

        /** "raise" (DisconnectedInputError), "warn" or "ignore". */
        public Options disconnectedInputs(String s) {
            disconnectedInputs = check("disconnected_inputs", s, "raise", "warn", "ignore");
            return this;
        }

        /** "zero", "None" (a null entry) or "Disconnected" (a {@link DisconnectedGradient}). */
        public Options returnDisconnected(String s) {
            returnDisconnected = check("return_disconnected", s, "zero", "None", "Disconnected");
            return this;
        }

        /** "raise" (NullTypeGradError) or "return" (the {@link NullGradient} itself). */
        public Options nullGradients(String s) {
            nullGradients = check("null_gradients", s, "raise", "return");
            return this;
        }

        private static String check(String what, String s, String... allowed) {
            for (String a : allowed) {
                if (a.equals(s)) {
                    return s;
                }
            }
            throw TslException.valueError("Invalid value for keyword " + what + ": '" + s + "', valid values are "
                    + String.join(", ", allowed));
        }
    }

    /** theano.grad(cost, wrt, consider_constant, disconnected_inputs) with the other options at their defaults. */
    public static List<Variable> grad(Variable cost, List<Variable> wrt, Set<Variable> considerConstant, String disconnected) {
        return grad(cost, wrt, new Options().considerConstant(considerConstant).disconnectedInputs(disconnected));
    }

    /** The gradient of {@code cost} (a scalar, or null when known_grads are given) with respect to each of {@code wrt}. */
    public static List<Variable> grad(Variable cost, List<Variable> wrt, Options o) {
        if (cost != null && cost.ndim() != 0) {
            throw TslException.typeError("cost must be a scalar (ndim 0), got a tensor with ndim " + cost.ndim());
        }
        if (cost == null && o.knownGrads.isEmpty()) {
            throw TslException.valueError("cost and known_grads can't both be None.");
        }
        Pass pass = new Pass(o.considerConstant, wrt);
        if (cost != null) {
            pass.seed(cost, T.onesLike(cost.dtype().isFloat() ? cost : T.cast(cost, Config.floatX())));
        }
        for (Map.Entry<Variable, Variable> e : o.knownGrads.entrySet()) {
            Variable v = e.getKey();
            Variable g = T.asTensorVariable(e.getValue());
            if (g.ndim() != v.ndim()) {
                throw TslException.valueError("known_grads: the gradient given for " + v + " has ndim " + g.ndim()
                        + ", but the variable has ndim " + v.ndim());
            }
            pass.seed(v, g);
        }
        pass.run();
        List<Variable> result = new ArrayList<>();
        for (Variable w : wrt) {
            result.add(finish(w, pass, o));
        }
        return result;
    }

    private static Variable finish(Variable w, Pass pass, Options o) {
        Variable g = pass.grads.get(w);
        if (g instanceof NullGradient n) {
            if (o.nullGradients.equals("raise")) {
                throw new TslException("NullTypeGradError", "grad encountered a NaN or undefined gradient with respect to "
                        + w + ": " + n.reason());
            }
            return n;
        }
        if (g == null && !pass.zero.contains(w)) {
            String msg = "grad method was asked to compute the gradient with respect to a variable that is not part of"
                    + " the computational graph of the cost, or is used only by a non-differentiable operator: " + w;
            switch (o.disconnectedInputs) {
                case "raise" -> throw new TslException("DisconnectedInputError", msg);
                case "warn" -> System.err.println("UserWarning: " + msg);
                default -> { }
            }
            switch (o.returnDisconnected) {
                case "None" -> { return null; }
                case "Disconnected" -> { return new DisconnectedGradient(w); }
                default -> { return floatZeros(w); }
            }
        }
        if (g == null || w.dtype().isDiscrete()) {
            return floatZeros(w); // integers have zero gradient, whatever the ops above them say
        }
        return T.cast(g, w.dtype());
    }

    private static Variable floatZeros(Variable w) {
        return T.zerosLike(w.dtype().isFloat() ? w : T.cast(w, Config.floatX()));
    }

    /** One backward sweep: the accumulated gradient terms, and the variables whose gradient is known to be zero. */
    private static final class Pass {
        final Set<Variable> stop;
        final Set<Variable> wrt = Collections.newSetFromMap(new IdentityHashMap<>());
        final Map<Variable, Variable> grads = new IdentityHashMap<>();
        final Set<Variable> zero = Collections.newSetFromMap(new IdentityHashMap<>());
        final List<Variable> roots = new ArrayList<>();

        Pass(Set<Variable> stop, List<Variable> wrt) {
            this.stop = stop;
            this.wrt.addAll(wrt);
        }

        void seed(Variable v, Variable g) {
            roots.add(v);
            accumulate(v, g);
        }

        void run() {
            List<Apply> order = Topo.order(roots, stop); // a consider_constant variable is a leaf
            // variables that depend on some wrt through connected inputs
            Set<Variable> depends = Collections.newSetFromMap(new IdentityHashMap<>());
            depends.addAll(wrt);
            for (Apply a : order) {
                if (!connectedInputs(a, depends).isEmpty()) {
                    depends.addAll(a.outputs());
                }
            }
            for (int k = order.size() - 1; k >= 0; k--) {
                backprop(order.get(k), depends);
            }
        }

        private List<Integer> connectedInputs(Apply a, Set<Variable> depends) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < a.inputs().size(); i++) {
                if (depends.contains(a.input(i)) && a.op().gradConnected(a, i)) {
                    idx.add(i);
                }
            }
            return idx;
        }

        private void backprop(Apply a, Set<Variable> depends) {
            List<Integer> targets = connectedInputs(a, depends);
            if (targets.isEmpty()) {
                return;
            }
            List<Variable> outGrads = new ArrayList<>();
            boolean anyTerm = false;
            boolean anyZero = false;
            boolean allDiscrete = true;
            NullGradient nullGrad = null;
            for (Variable out : a.outputs()) {
                Variable g = grads.get(out);
                outGrads.add(g);
                anyTerm |= g != null;
                anyZero |= zero.contains(out);
                allDiscrete &= out.dtype().isDiscrete();
                if (g instanceof NullGradient n) {
                    nullGrad = n;
                }
            }
            if (!anyTerm && !anyZero) {
                return; // the cost does not use these outputs
            }
            if (nullGrad != null) {
                for (int i : targets) {
                    accumulate(a.input(i), nullGrad.forInput(a.input(i)));
                }
                return;
            }
            if (!anyTerm || allDiscrete) {
                // integer outputs are piecewise constant: the inputs are connected with slope zero
                for (int i : targets) {
                    zero.add(a.input(i));
                }
                return;
            }
            Variable logistic = StableGrads.logisticInput(a, stop);
            if (logistic != null && depends.contains(logistic)) {
                Variable g = T.mul(outGrads.get(0), StableGrads.sigmoidSlope(logistic));
                accumulate(logistic, T.sumToShapeOf(g, logistic));
                return;
            }
            for (int i = 0; i < outGrads.size(); i++) {
                if (outGrads.get(i) == null) {
                    outGrads.set(i, T.zerosLike(a.outputs().get(i)));
                }
            }
            List<Variable> inGrads = a.op().grad(a, outGrads);
            for (int i : targets) {
                Variable in = a.input(i);
                Variable g = inGrads.get(i);
                if (g == null || (in.dtype().isDiscrete() && !(g instanceof NullGradient))) {
                    zero.add(in);
                } else {
                    accumulate(in, g);
                }
            }
        }

        private void accumulate(Variable v, Variable g) {
            Variable prev = grads.get(v);
            if (prev == null || g instanceof NullGradient) {
                grads.put(v, g);
            } else if (!(prev instanceof NullGradient)) {
                grads.put(v, T.add(prev, g));
            }
        }
    }
}
