package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import tsl.compile.Config;
import tsl.graph.FunctionGraph;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.linker.jvm.JvmLinker;
import tsl.printing.PrettyPrint;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Helpers for rewrite tests: build a function graph, run selected rewrites on it, print it
 * as a formula for a structural comparison, and check the values did not change.
 */
final class RewriteTesting {
    private RewriteTesting() {}

    static {
        Config.set("on_opt_error", "raise"); // a rewrite bug must fail the test, not warn
    }

    static Variable var(DType d, String name, int... shape) {
        return new Variable(new TensorType(d, shape), name);
    }

    static FunctionGraph graph(List<Variable> inputs, Variable... outputs) {
        return FunctionGraph.clone(inputs, List.of(outputs), Map.of());
    }

    /** Only the named rewrites and merge, as a user would get with optimizer=None, optimizer_including=names. */
    static Optimizer only(String... names) {
        Set<String> tags = new java.util.HashSet<>(Set.of(names));
        tags.add("merge");
        return RewriteDB.defaultDB().query("None", tags, Set.of());
    }

    static String formula(FunctionGraph g) {
        List<String> s = new ArrayList<>();
        for (Variable o : g.outputs()) {
            s.add(PrettyPrint.of(o));
        }
        return String.join("; ", s);
    }

    static NDArray[] run(FunctionGraph g, List<Variable> inputs, NDArray... values) {
        List<Variable> free = new ArrayList<>(inputs);
        for (Variable v : g.freeVariables()) {
            if (!free.contains(v)) {
                free.add(v);
            }
        }
        NDArray[] all = new NDArray[free.size()];
        System.arraycopy(values, 0, all, 0, values.length);
        for (int i = values.length; i < all.length; i++) {
            all[i] = ((tsl.graph.Constant) free.get(i)).value();
        }
        return new JvmLinker().link(g, free).run(all);
    }

    static NDArray random(DType d, long seed, int... shape) {
        Random r = new Random(seed);
        double[] v = new double[(int) NDArray.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = d.isFloat() ? r.nextGaussian() : r.nextInt(7) - 3;
        }
        return NDArray.fromDoubles(d, shape, v);
    }

    /**
     * Applies {@code opt} to a graph of {@code outputs}, asserts the formula before and after,
     * and that the outputs have the same values (within float rounding) on {@code values}.
     */
    static FunctionGraph check(Optimizer opt, List<Variable> inputs, List<Variable> outputs, String before, String after,
                               NDArray... values) {
        FunctionGraph reference = FunctionGraph.clone(inputs, outputs, Map.of());
        FunctionGraph g = FunctionGraph.clone(inputs, outputs, Map.of());
        assertEquals(before, formula(g), "graph before");
        opt.optimize(g);
        assertEquals(after, formula(g), "graph after");
        NDArray[] want = run(reference, inputs, values);
        NDArray[] got = run(g, inputs, values);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i].dtype(), got[i].dtype(), "dtype of output " + i);
            assertArrayEquals(want[i].shape(), got[i].shape(), "shape of output " + i);
            assertTrue(NDArray.allClose(want[i], got[i], 1e-12, 1e-12), "output " + i + ": " + want[i] + " vs " + got[i]);
        }
        return g;
    }
}
