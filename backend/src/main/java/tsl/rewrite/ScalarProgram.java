package tsl.rewrite;

import java.util.ArrayList;
import java.util.List;

import tsl.ops.elemwise.Composite;
import tsl.ops.elemwise.ScalarOps;

/**
 * Clean-up of a fused loop's scalar program before it is built. Inside one loop,
 * {@code second(a, b)} (fill: a's shape, b's value) is just b — the loop already has the
 * shape — so it becomes a plain conversion of b; steps no result needs any more (the
 * {@code a} that only gave a shape) are dropped. Values are unchanged: each step still
 * rounds to the dtype its node had. Only for single-output loops, whose shape is that of all
 * their inputs: a multi-output loop reads each result's shape from what it depends on.
 */
final class ScalarProgram {
    /** The simplified program and where each result now lives. */
    record Simplified(List<Composite.Step> steps, int[] results) {}

    private ScalarProgram() {}

    static Simplified simplify(int nin, List<Composite.Step> steps, int[] results) {
        List<Composite.Step> s = new ArrayList<>(steps.size());
        for (Composite.Step st : steps) {
            if (st.op().equals(ScalarOps.SECOND) && st.args().length == 2) {
                s.add(new Composite.Step(ScalarOps.IDENTITY, new int[] {st.args()[1]},
                        new tsl.tensor.DType[] {st.argDtypes()[1]}, st.out()));
            } else {
                s.add(st);
            }
        }
        boolean[] live = new boolean[nin + s.size()];
        for (int r : results) {
            live[r] = true;
        }
        for (int k = s.size() - 1; k >= 0; k--) {
            if (live[nin + k]) {
                for (int a : s.get(k).args()) {
                    live[a] = true;
                }
            }
        }
        int[] renumber = new int[nin + s.size()];
        for (int i = 0; i < nin; i++) {
            renumber[i] = i;
        }
        List<Composite.Step> kept = new ArrayList<>();
        for (int k = 0; k < s.size(); k++) {
            if (!live[nin + k]) {
                continue;
            }
            Composite.Step st = s.get(k);
            int[] args = new int[st.args().length];
            for (int i = 0; i < args.length; i++) {
                args[i] = renumber[st.args()[i]];
            }
            renumber[nin + k] = nin + kept.size();
            kept.add(new Composite.Step(st.op(), args, st.argDtypes(), st.out()));
        }
        int[] res = new int[results.length];
        for (int r = 0; r < res.length; r++) {
            res[r] = renumber[results[r]];
        }
        return new Simplified(kept, res);
    }
}
