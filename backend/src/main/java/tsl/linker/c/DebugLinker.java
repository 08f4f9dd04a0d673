package tsl.linker.c;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import tsl.compile.Linker;
import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.linker.jvm.JvmLinker;
import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * DebugMode: every call runs the graph on the jvm reference and on the native linker, then
 * compares every intermediate value in topological order and raises naming the first node
 * whose outputs differ in shape, dtype or value (within Theano's DebugMode tolerances).
 */
public final class DebugLinker implements Linker {

    @Override
    public Program link(FunctionGraph graph, List<Variable> freeVariables) {
        if (!NativeLinker.available()) {
            return new NativeLinker().link(graph, freeVariables); // warns once and runs on the jvm
        }
        List<Apply> order = graph.toposort();
        // a copy of the graph whose outputs are every node output, so native hands all of them back
        List<Variable> all = new ArrayList<>();
        for (Apply a : order) {
            all.addAll(a.outputs());
        }
        FunctionGraph everything = FunctionGraph.clone(graph.inputs(), all, Map.of());
        Program nativeProgram = new NativeLinker().link(everything, freeVariables);
        Map<Variable, Integer> freeSlot = new IdentityHashMap<>();
        for (Variable v : freeVariables) {
            freeSlot.put(v, freeSlot.size());
        }
        Map<Variable, Integer> allIndex = new IdentityHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            allIndex.put(all.get(i), i);
        }
        // intermediates an in-place node writes over (ops that run in Java inside the native program honour destroy maps)
        java.util.Set<Variable> overwritten = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Apply a : order) {
            for (int destroyed : a.op().destroyMap().values()) {
                overwritten.add(a.input(destroyed));
            }
        }
        return freeValues -> {
            Map<Variable, NDArray> ref = new IdentityHashMap<>();
            for (Variable v : freeVariables) {
                ref.put(v, freeValues[freeSlot.get(v)]);
            }
            for (Apply a : order) {
                NDArray[] args = new NDArray[a.inputs().size()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = ref.get(a.input(i));
                }
                for (int destroyed : a.op().destroyMap().values()) {
                    args[destroyed] = args[destroyed].copy(); // every intermediate is compared afterwards: keep it intact
                }
                NDArray[] r = JvmLinker.perform(a, args);
                for (int i = 0; i < r.length; i++) {
                    ref.put(a.outputs().get(i), r[i]);
                }
            }
            NDArray[] nat = nativeProgram.run(freeValues);
            for (Apply a : order) {
                for (Variable o : a.outputs()) {
                    if (overwritten.contains(o)) {
                        continue;   // an in-place node later in the program reused its buffer; that node's own result is compared
                    }
                    String diff = difference(nat[allIndex.get(o)], ref.get(o));
                    if (diff != null) {
                        throw new TslException("DebugModeError", "DebugMode: the native and jvm results of " + a.op() + " differ (output "
                                + o.index() + " of " + a + "): " + diff, a.location(), null);
                    }
                }
            }
            NDArray[] outs = new NDArray[graph.outputs().size()];
            for (int i = 0; i < outs.length; i++) {
                Variable v = graph.outputs().get(i);
                Integer k = allIndex.get(v);
                outs[i] = k != null ? nat[k] : freeValues[freeSlot.get(v)];
            }
            return outs;
        };
    }

    /** Why the native value differs from the reference, or null when they agree. */
    static String difference(NDArray nat, NDArray ref) {
        if (nat.dtype() != ref.dtype()) {
            return "dtype " + nat.dtype() + " (native) vs " + ref.dtype() + " (jvm)";
        }
        if (!Arrays.equals(nat.shape(), ref.shape())) {
            return "shape " + Shapes.format(nat.shape()) + " (native) vs " + Shapes.format(ref.shape()) + " (jvm)";
        }
        boolean single = ref.dtype() == DType.FLOAT32;
        double rtol = single ? 1e-4 : 1e-5;
        double atol = single ? 1e-5 : 1e-8;
        for (long i = 0; i < ref.size(); i++) {
            double x = nat.getDouble(i);
            double y = ref.getDouble(i);
            boolean same = ref.dtype().isFloat()
                    ? (Double.isNaN(x) && Double.isNaN(y)) || x == y || Math.abs(x - y) <= atol + rtol * Math.abs(y)
                    : nat.getLong(i) == ref.getLong(i);
            if (!same) {
                return "values differ first at flat index " + i + ": " + x + " (native) vs " + y + " (jvm)";
            }
        }
        return null;
    }
}
