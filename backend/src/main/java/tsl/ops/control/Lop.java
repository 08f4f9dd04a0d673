package tsl.ops.control;

import java.util.ArrayList;
import java.util.List;

import tsl.grad.Gradient;
import tsl.graph.Variable;
import tsl.ops.T;

/** The vector-Jacobian product of some outputs, built from the ordinary reverse-mode {@link Gradient}. */
final class Lop {
    private Lop() {}

    /**
     * The gradients of {@code wrt} given the gradients of {@code outputs} (null entries and
     * discrete outputs contribute nothing), each of wrt's type; zeros where disconnected.
     */
    static List<Variable> lop(List<Variable> outputs, List<Variable> outputGrads, List<Variable> wrt) {
        // d/dwrt of sum_k sum(out_k * g_k) is exactly sum_k g_k . d out_k / d wrt
        Variable cost = null;
        for (int k = 0; k < outputs.size(); k++) {
            Variable g = outputGrads.get(k);
            Variable o = outputs.get(k);
            if (g == null || !o.dtype().isFloat()) {
                continue;
            }
            Variable term = T.sum(T.mul(o, g));
            cost = cost == null ? term : T.add(cost, term);
        }
        if (cost == null) {
            List<Variable> zeros = new ArrayList<>();
            for (Variable w : wrt) {
                zeros.add(T.zerosLike(w));
            }
            return zeros;
        }
        List<Variable> gs = Gradient.grad(cost, wrt, null, "ignore");
        List<Variable> out = new ArrayList<>(gs.size());
        for (int i = 0; i < gs.size(); i++) {
            out.add(T.cast(gs.get(i), wrt.get(i).dtype()));
        }
        return out;
    }
}
