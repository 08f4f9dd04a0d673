package tsl.grad;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;

/**
 * theano.gradient.Rop: the jacobian of f times a vector of input tangents. Pushed forward op
 * by op with each op's R-op when every op on the way has one; otherwise by the double-L-op
 * trick, which needs only gradients: with u a stand-in for f's output gradient,
 * g(u) = Lop(f, wrt, u) is linear in u, and Lop(g, u, v) = J v.
 */
public final class ForwardMode {
    private ForwardMode() {}

    public static List<Variable> rop(List<Variable> f, List<Variable> wrt, List<Variable> evalPoints) {
        return rop(f, wrt, evalPoints, "raise", "zero");
    }

    /**
     * @param disconnectedOutputs what to do when some f does not depend on any wrt: "raise"
     *                            (DisconnectedInputError), "warn" or "ignore"
     * @param returnDisconnected  what such an f gets: "zero", "None" (null) or "Disconnected"
     */
    public static List<Variable> rop(List<Variable> f, List<Variable> wrt, List<Variable> evalPoints,
                                     String disconnectedOutputs, String returnDisconnected) {
        new Gradient.Options().disconnectedInputs(disconnectedOutputs).returnDisconnected(returnDisconnected); // validates both
        List<Variable> result = ropOrNull(f, wrt, evalPoints);
        for (int i = 0; i < result.size(); i++) {
            if (result.get(i) != null) {
                continue;
            }
            String msg = "Rop: output " + i + " (" + f.get(i) + ") does not depend on any of the variables in wrt";
            switch (disconnectedOutputs) {
                case "raise" -> throw new TslException("DisconnectedInputError", msg);
                case "warn" -> System.err.println("UserWarning: " + msg);
                default -> { }
            }
            result.set(i, switch (returnDisconnected) {
                case "None" -> null;
                case "Disconnected" -> new DisconnectedGradient(f.get(i));
                default -> T.zerosLike(f.get(i));
            });
        }
        return result;
    }

    /** The R-op of each f, null for an f that depends on no wrt. */
    private static List<Variable> ropOrNull(List<Variable> f, List<Variable> wrt, List<Variable> evalPoints) {
        if (wrt.size() != evalPoints.size()) {
            throw TslException.valueError("Rop: wrt and eval_points must have the same length, got " + wrt.size() + " and "
                    + evalPoints.size());
        }
        List<Variable> points = new ArrayList<>();
        for (int i = 0; i < wrt.size(); i++) {
            Variable e = T.asTensorVariable(evalPoints.get(i));
            if (e.ndim() != wrt.get(i).ndim()) {
                throw TslException.valueError("Element " + i + " of wrt/eval_point have mismatched dimensionality: "
                        + wrt.get(i).ndim() + " versus " + e.ndim());
            }
            points.add(e);
        }
        List<Variable> pushed = pushForward(f, wrt, points);
        return pushed != null ? pushed : doubleLop(f, wrt, points);
    }

    /** The R-op through each op's own rule, or null when some op on the way has none. */
    static List<Variable> pushForward(List<Variable> f, List<Variable> wrt, List<Variable> points) {
        Map<Variable, Variable> tangent = new IdentityHashMap<>();
        for (int i = 0; i < wrt.size(); i++) {
            Variable w = wrt.get(i);
            Variable prev = tangent.get(w);
            tangent.put(w, prev == null ? T.cast(points.get(i), w.dtype()) : T.add(prev, points.get(i)));
        }
        for (Apply a : Topo.order(f, Set.of())) {
            List<Variable> in = new ArrayList<>();
            boolean any = false;
            for (Variable v : a.inputs()) {
                Variable t = tangent.get(v);
                in.add(t);
                any |= t != null;
            }
            if (!any) {
                continue;
            }
            List<Variable> out;
            try {
                out = a.op().rop(a, in);
            } catch (TslException e) {
                if ("NotImplementedError".equals(e.pythonType())) {
                    return null;
                }
                throw e;
            }
            for (int k = 0; k < out.size(); k++) {
                if (out.get(k) != null && !a.outputs().get(k).dtype().isDiscrete()) {
                    tangent.put(a.outputs().get(k), out.get(k));
                }
            }
        }
        List<Variable> result = new ArrayList<>();
        for (Variable fi : f) {
            Variable t = tangent.get(fi);
            result.add(t == null ? null : T.cast(t, fi.dtype().isFloat() ? fi.dtype() : t.dtype()));
        }
        return result;
    }

    private static List<Variable> doubleLop(List<Variable> f, List<Variable> wrt, List<Variable> points) {
        List<Variable> result = new ArrayList<>();
        for (Variable fi : f) {
            Variable u = new Variable(fi.type(), "u");
            List<Variable> g = Gradient.grad(null, wrt, new Gradient.Options().knownGrads(Map.of(fi, u))
                    .disconnectedInputs("ignore").returnDisconnected("None"));
            Map<Variable, Variable> known = new IdentityHashMap<>();
            for (int i = 0; i < wrt.size(); i++) {
                if (g.get(i) != null) {
                    Variable prev = known.get(g.get(i));
                    known.put(g.get(i), prev == null ? points.get(i) : T.add(prev, points.get(i)));
                }
            }
            if (known.isEmpty()) {
                result.add(null);
                continue;
            }
            Variable jv = Gradient.grad(null, List.of(u), new Gradient.Options().knownGrads(known)
                    .disconnectedInputs("ignore")).get(0);
            // J v no longer depends on u's value, but gradients of reductions still name u as a shape model
            result.add(tsl.graph.FunctionGraph.clone(List.of(), List.of(jv), Map.of(u, T.zerosLike(fi))).outputs().get(0));
        }
        return result;
    }
}
