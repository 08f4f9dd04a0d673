package tsl.grad;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;

/** Reverse-mode differentiation: gradients are ordinary graphs built from each op's {@code grad}. */
public final class Gradient {
    private Gradient() {}

    /**
     * The gradient of the scalar {@code cost} with respect to each of {@code wrt}.
     *
     * @param disconnected what to do when cost does not depend on some wrt: "raise", "warn" or "ignore"
     *                     (the last two give zeros)
     */
    public static List<Variable> grad(Variable cost, List<Variable> wrt, Set<Variable> considerConstant, String disconnected) {
        if (cost.ndim() != 0) {
            throw TslException.typeError("cost must be a scalar (ndim 0), got a tensor with ndim " + cost.ndim());
        }
        if (cost.dtype().isDiscrete()) {
            // the gradient of an integer cost is zero everywhere
            List<Variable> zeros = new ArrayList<>();
            for (Variable w : wrt) {
                zeros.add(T.zerosLike(w));
            }
            return zeros;
        }
        Set<Variable> stop = Collections.newSetFromMap(new IdentityHashMap<>());
        if (considerConstant != null) {
            stop.addAll(considerConstant);
        }
        // nodes on a path from some wrt to cost, in topological order
        List<Apply> order = topo(cost);
        Set<Variable> reaches = Collections.newSetFromMap(new IdentityHashMap<>());
        reaches.addAll(wrt);
        for (Apply a : order) {
            for (Variable in : a.inputs()) {
                if (reaches.contains(in) && !stop.contains(in)) {
                    reaches.addAll(a.outputs());
                    break;
                }
            }
        }
        Map<Variable, Variable> grads = new IdentityHashMap<>();
        grads.put(cost, T.onesLike(cost));
        for (int k = order.size() - 1; k >= 0; k--) {
            Apply a = order.get(k);
            boolean any = false;
            List<Variable> outGrads = new ArrayList<>();
            for (Variable o : a.outputs()) {
                Variable g = grads.get(o);
                outGrads.add(g);
                any |= g != null;
            }
            if (!any || !reaches.contains(a.outputs().get(0))) {
                continue;
            }
            boolean needed = false;
            for (Variable in : a.inputs()) {
                needed |= reaches.contains(in) && !stop.contains(in);
            }
            if (!needed) {
                continue;
            }
            for (int i = 0; i < outGrads.size(); i++) {
                if (outGrads.get(i) == null) {
                    outGrads.set(i, T.zerosLike(a.outputs().get(i)));
                }
            }
            List<Variable> inGrads = a.op().grad(a, outGrads);
            for (int i = 0; i < a.inputs().size(); i++) {
                Variable in = a.input(i);
                Variable g = inGrads.get(i);
                if (g == null || stop.contains(in) || !reaches.contains(in)) {
                    continue;
                }
                Variable prev = grads.get(in);
                grads.put(in, prev == null ? g : T.add(prev, g));
            }
        }
        List<Variable> result = new ArrayList<>();
        for (int i = 0; i < wrt.size(); i++) {
            Variable w = wrt.get(i);
            Variable g = grads.get(w);
            if (g == null) {
                String msg = "grad method was asked to compute the gradient with respect to a variable that is not part of"
                        + " the computational graph of the cost, or is used only by a non-differentiable operator: " + w;
                switch (disconnected) {
                    case "raise" -> throw new TslException("DisconnectedInputError", msg);
                    case "warn" -> System.err.println("UserWarning: " + msg);
                    default -> { }
                }
                g = T.zerosLike(w);
            }
            result.add(T.cast(g, w.dtype().isFloat() ? w.dtype() : tsl.compile.Config.floatX()));
        }
        return result;
    }

    private static List<Apply> topo(Variable out) {
        List<Apply> order = new ArrayList<>();
        Set<Apply> done = new HashSet<>();
        java.util.Deque<Apply> stack = new java.util.ArrayDeque<>();
        Set<Apply> expanded = new HashSet<>();
        if (out.owner() != null) {
            stack.push(out.owner());
        }
        while (!stack.isEmpty()) {
            Apply a = stack.peek();
            if (done.contains(a)) {
                stack.pop();
                continue;
            }
            if (expanded.add(a)) {
                for (Variable in : a.inputs()) {
                    if (in.owner() != null && !done.contains(in.owner())) {
                        stack.push(in.owner());
                    }
                }
            } else {
                stack.pop();
                done.add(a);
                order.add(a);
            }
        }
        return order;
    }
}
