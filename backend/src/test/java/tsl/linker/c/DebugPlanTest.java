package tsl.linker.c;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tsl.grad.Gradient;
import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.control.Scan;
import tsl.ops.control.ScanBuilder;
import tsl.ops.control.ScanBuilder.OutputInfo;
import tsl.ops.control.ScanBuilder.Sequence;
import tsl.ops.control.ScanBuilder.Step;
import tsl.tensor.DType;

class DebugPlanTest {
    @Test
    void plan() throws Exception {
        Variable xs = OpTesting.var(DType.FLOAT64, 2, "xs");
        Variable w = OpTesting.var(DType.FLOAT64, 2, "w");
        Variable u = OpTesting.var(DType.FLOAT64, 2, "u");
        Variable h0 = OpTesting.var(DType.FLOAT64, 1, "h0");
        Variable hs = ScanBuilder.scan(a -> new Step(List.of(T.tanh(T.add(T.dot(a.get(2), a.get(1)), T.dot(a.get(3), a.get(0))))), Map.of(), null), List.of(new Sequence(xs)),
                List.of(OutputInfo.of(h0)), List.of(w, u), null, -1, false, null).outputs().get(0);
        Variable cost = T.sum(hs);
        List<Variable> outs = new ArrayList<>(List.of(cost));
        outs.addAll(Gradient.grad(cost, List.of(w, u, h0), null, "raise"));
        FunctionGraph g = FunctionGraph.clone(List.of(xs, w, u, h0), outs, Map.of());
        for (Apply a : g.toposort()) {
            System.out.println((Emitters.of(a) == null ? "JAVA " : "C    ") + a.op());
            if (a.op() instanceof Scan s) {
                for (Apply b : s.inner().graph().toposort()) {
                    System.out.println("      " + (Emitters.of(b) == null ? "JAVA " : "C    ") + b.op() + " " + b.inputs().stream().map(v -> v.type().toString()).toList());
                }
            }
        }
        List<Variable> free = new ArrayList<>(g.inputs());
        for (Variable v : g.freeVariables()) if (!free.contains(v)) free.add(v);
        java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/dbg/grad.c"), new NativeLinker().generatedSource(g, free));
    }
}
