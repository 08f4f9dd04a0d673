package tsl.printing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.Constant;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

class PrintingTest {
    private final Variable x = new Variable(TensorType.ofNdim(DType.FLOAT64, 1), "x");
    private final Variable y = new Variable(TensorType.ofNdim(DType.FLOAT64, 1), "y");

    @Test
    void debugprintOfAVariableInTheanoFormat() {
        Variable s = T.mul(T.add(x, y), T.exp(x));
        s.setName("s");
        assertEquals("""
                Elemwise{mul,no_inplace} [id A] 's'
                 |Elemwise{add,no_inplace} [id B] ''
                 | |x [id C]
                 | |y [id D]
                 |Elemwise{exp,no_inplace} [id E] ''
                   |x [id C]
                """, DebugPrint.of(List.of(s), false));
    }

    @Test
    void sharedSubgraphsPrintOnceThenByIdAndTypesOnRequest() {
        Variable e = T.exp(x);
        Variable s = T.add(e, e);
        assertEquals("""
                Elemwise{add,no_inplace} [id A] <TensorType(float64, vector)> ''
                 |Elemwise{exp,no_inplace} [id B] <TensorType(float64, vector)> ''
                 | |x [id C] <TensorType(float64, vector)>
                 |Elemwise{exp,no_inplace} [id B] <TensorType(float64, vector)> ''
                """, DebugPrint.of(List.of(s), true));
    }

    @Test
    void constantsAndIds() {
        Variable s = T.mul(x, new Constant(NDArray.scalar(2.0, DType.FLOAT64)));
        assertTrue(DebugPrint.of(List.of(s), false).contains("|TensorConstant{2.0} [id"));
        assertEquals("A", OpNames.id(0));
        assertEquals("Z", OpNames.id(25));
        assertEquals("BA", OpNames.id(26));
    }

    @Test
    void debugprintOfAFunctionShowsTheOptimizedGraphInExecutionOrder() {
        Function f = new FunctionBuilder().inputs(List.of(In.of(x), In.of(y))).outputs(List.of(T.add(T.mul(T.exp(x), y), 1.0)), true)
                .mode(Mode.fromName("FAST_RUN")).build();
        assertEquals("""
                Elemwise{Composite{((exp(i0) * i1) + i2)}} [id A] ''   0
                 |x [id B]
                 |y [id C]
                 |TensorConstant{[1.]} [id D]
                """, DebugPrint.of(f, false));
    }

    @Test
    void ppWritesAFormula() {
        assertEquals("((x + y) * exp((-x)))", PrettyPrint.of(T.mul(T.add(x, y), T.exp(T.neg(x)))));
        assertEquals("Sum(dot(DimShuffle{1,0}(m), x))",
                PrettyPrint.of(T.sum(T.dot(T.transpose(new Variable(TensorType.ofNdim(DType.FLOAT64, 2), "m")), x))));
    }

    @Test
    void pydotprintWritesDot() throws Exception {
        Function f = new FunctionBuilder().inputs(List.of(In.of(x))).outputs(List.of(T.exp(x)), true).build();
        Path out = Files.createTempDirectory("tsl-dot").resolve("g.dot");
        DotPrint.write(f, out.toString(), null);
        String dot = Files.readString(out);
        assertTrue(dot.startsWith("digraph G {"), dot);
        assertTrue(dot.contains("[label=\"Elemwise{exp,no_inplace}\", shape=box]"), dot);
        assertTrue(dot.contains("[label=\"x\", style=filled, fillcolor=limegreen, shape=ellipse]"), dot);
        assertTrue(dot.contains("-> n0 [label=\"0 TensorType(float64, vector)\"]"), dot);
    }
}
