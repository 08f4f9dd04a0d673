package tsl.ops.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.ops.OpTesting.arr;
import static tsl.ops.OpTesting.assertArray;
import static tsl.ops.OpTesting.checkGrad;
import static tsl.ops.OpTesting.run;
import static tsl.ops.OpTesting.runAll;
import static tsl.ops.OpTesting.shape;
import static tsl.ops.OpTesting.var;
import static tsl.ops.OpTesting.vec;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import tsl.grad.Gradient;
import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

class IfElseTest {

    /** Identity that counts how often it runs: lets a test see which branch was computed. */
    static final class Counting implements Op {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public Apply makeNode(List<Variable> inputs) {
            return new Apply(this, inputs, List.of(inputs.get(0).type()));
        }

        @Override
        public NDArray[] perform(Apply node, NDArray[] inputs) {
            runs.incrementAndGet();
            return new NDArray[] {inputs[0]};
        }

        Variable of(Variable x) {
            return makeNode(List.of(x)).output();
        }
    }

    private static NDArray scalar(double v, DType d) {
        return NDArray.scalar(v, d);
    }

    @Test
    void selectsTheBranchByTheCondition() {
        Variable c = var(DType.INT8, 0, "c");
        Variable x = var(DType.FLOAT64, 1, "x");
        Variable y = var(DType.FLOAT64, 1, "y");
        Variable z = IfElse.build(c, List.of(T.sum(x)), List.of(T.mean(y)), null).get(0);
        NDArray xv = vec(DType.FLOAT64, 1, 2, 3);
        NDArray yv = vec(DType.FLOAT64, 10, 20);
        assertArray(run(List.of(c, x, y), z, scalar(1, DType.INT8), xv, yv), DType.FLOAT64, shape(), 6);
        assertArray(run(List.of(c, x, y), z, scalar(0, DType.INT8), xv, yv), DType.FLOAT64, shape(), 15);
    }

    @Test
    void theUntakenBranchIsNeverComputed() {
        Counting thenCount = new Counting();
        Counting elseCount = new Counting();
        Variable c = var(DType.FLOAT64, 0, "c");
        Variable x = var(DType.FLOAT64, 1, "x");
        Variable z = IfElse.build(T.gt(c, 0), List.of(T.exp(thenCount.of(x))), List.of(T.log(elseCount.of(x))), null).get(0);
        NDArray xv = vec(DType.FLOAT64, 1, 2);
        for (int i = 0; i < 3; i++) {
            runFastRun(List.of(c, x), z, scalar(1, DType.FLOAT64), xv);
        }
        assertEquals(3, thenCount.runs.get());
        assertEquals(0, elseCount.runs.get());
        runFastRun(List.of(c, x), z, scalar(-1, DType.FLOAT64), xv);
        assertEquals(3, thenCount.runs.get());
        assertEquals(1, elseCount.runs.get());
    }

    /** Counts runs, so it names FAST_RUN: DebugMode (mvn -Pdebugmode) runs each node twice, reference and native. */
    private static NDArray runFastRun(List<Variable> inputs, Variable output, NDArray... values) {
        List<tsl.compile.In> ins = new java.util.ArrayList<>();
        for (Variable v : inputs) {
            ins.add(tsl.compile.In.of(v));
        }
        return new tsl.compile.FunctionBuilder().inputs(ins).outputs(List.of(output), false).onUnusedInput("ignore")
                .mode(tsl.compile.Mode.fromName("FAST_RUN")).build().call((Object[]) values)[0];
    }

    @Test
    void theUntakenBranchIsNeverComputedOnTheNativeLinkerEither() {
        org.junit.jupiter.api.Assumptions.assumeTrue(tsl.linker.c.NativeLinker.available(), "gcc is not installed");
        Counting thenCount = new Counting();
        Counting elseCount = new Counting();
        Variable c = var(DType.FLOAT64, 0, "c");
        Variable x = var(DType.FLOAT64, 1, "x");
        Variable z = IfElse.build(T.gt(c, 0), List.of(T.exp(thenCount.of(x))), List.of(T.log(elseCount.of(x))), null).get(0);
        for (String optimizer : List.of("None", "fast_run")) {
            tsl.compile.Function f = new tsl.compile.FunctionBuilder().inputs(List.of(tsl.compile.In.of(c), tsl.compile.In.of(x)))
                    .outputs(List.of(T.mul(z, 2)), true).mode(new tsl.compile.Mode("c", optimizer)).build();
            int before = thenCount.runs.get();
            for (int i = 0; i < 3; i++) {
                f.call(scalar(1, DType.FLOAT64), vec(DType.FLOAT64, 1, 2));
            }
            assertEquals(before + 3, thenCount.runs.get());
            assertEquals(0, elseCount.runs.get());
        }
    }

    @Test
    void anUntakenBranchThatWouldFailDoesNotFail() {
        Variable c = var(DType.INT8, 0, "c");
        Variable x = var(DType.FLOAT64, 1, "x");
        Variable z = IfElse.build(c, List.of(T.sum(x)), List.of(T.subtensor(x, 10)), null).get(0);
        assertArray(run(List.of(c, x), z, scalar(1, DType.INT8), vec(DType.FLOAT64, 1, 2, 3)), DType.FLOAT64, shape(), 6);
        assertThrows(TslException.class, () -> run(List.of(c, x), z, scalar(0, DType.INT8), vec(DType.FLOAT64, 1, 2, 3)));
    }

    @Test
    void severalOutputsAndSharedConditionInputs() {
        Variable a = var(DType.FLOAT64, 0, "a");
        Variable b = var(DType.FLOAT64, 0, "b");
        Variable m = T.mul(a, b); // used by the condition and by a branch
        List<Variable> z = IfElse.build(T.lt(m, 5), List.of(m, T.add(a, 1)), List.of(T.neg(m), T.constant(7.0, DType.FLOAT64)), null);
        NDArray[] r = runAll(List.of(a, b), z, scalar(2, DType.FLOAT64), scalar(2, DType.FLOAT64));
        assertArray(r[0], DType.FLOAT64, shape(), 4);
        assertArray(r[1], DType.FLOAT64, shape(), 3);
        r = runAll(List.of(a, b), z, scalar(3, DType.FLOAT64), scalar(2, DType.FLOAT64));
        assertArray(r[0], DType.FLOAT64, shape(), -6);
        assertArray(r[1], DType.FLOAT64, shape(), 7);
    }

    @Test
    void branchesMustAgreeInTypeAndCount() {
        Variable c = var(DType.INT8, 0, "c");
        Variable x = var(DType.FLOAT64, 1, "x");
        Variable i = var(DType.INT64, 1, "i");
        Variable s = var(DType.FLOAT64, 0, "s");
        TslException dtype = assertThrows(TslException.class, () -> IfElse.build(c, List.of(x), List.of(i), null));
        assertEquals("TypeError", dtype.pythonType());
        assertTrue(dtype.getMessage().contains("identical types"), dtype.getMessage());
        assertEquals("TypeError", assertThrows(TslException.class, () -> IfElse.build(c, List.of(x), List.of(s), null)).pythonType());
        assertEquals("ValueError", assertThrows(TslException.class, () -> IfElse.build(c, List.of(x, x), List.of(x), null)).pythonType());
        assertEquals("TypeError", assertThrows(TslException.class, () -> IfElse.build(x, List.of(s), List.of(s), null)).pythonType());
        // a literal that converts exactly is accepted on either side
        Variable z = IfElse.build(c, List.of(s), List.of(T.constant(0)), null).get(0);
        assertEquals(DType.FLOAT64, z.dtype());
    }

    @Test
    void gradientFlowsThroughTheTakenBranchOnly() {
        // cond chosen by the sign of x0's first element: both sides of it are checked
        checkGrad(in -> IfElse.build(T.gt(T.sum(in[0]), 0), List.of(T.mul(T.sqr(in[0]), in[1])),
                List.of(T.mul(T.sin(in[0]), T.exp(in[1]))), null).get(0),
                arr(DType.FLOAT64, shape(3), 0.5, 1.5, -0.2), arr(DType.FLOAT64, shape(3), 0.3, -0.7, 2.0));
        checkGrad(in -> IfElse.build(T.gt(T.sum(in[0]), 0), List.of(T.mul(T.sqr(in[0]), in[1])),
                List.of(T.mul(T.sin(in[0]), T.exp(in[1]))), null).get(0),
                arr(DType.FLOAT64, shape(3), -0.5, -1.5, 0.2), arr(DType.FLOAT64, shape(3), 0.3, -0.7, 2.0));
    }

    @Test
    void gradientOfAnInputOnlyOneBranchUsesIsZeroOnTheOther() {
        Variable c = var(DType.INT8, 0, "c");
        Variable x = var(DType.FLOAT64, 0, "x");
        Variable y = var(DType.FLOAT64, 0, "y");
        Variable z = IfElse.build(c, List.of(T.mul(x, 3)), List.of(T.sqr(y)), null).get(0);
        List<Variable> g = Gradient.grad(z, List.of(x, y), null, "raise");
        NDArray[] r = runAll(List.of(c, x, y), g, scalar(1, DType.INT8), scalar(2, DType.FLOAT64), scalar(5, DType.FLOAT64));
        assertArray(r[0], DType.FLOAT64, shape(), 3);
        assertArray(r[1], DType.FLOAT64, shape(), 0);
        r = runAll(List.of(c, x, y), g, scalar(0, DType.INT8), scalar(2, DType.FLOAT64), scalar(5, DType.FLOAT64));
        assertArray(r[0], DType.FLOAT64, shape(), 0);
        assertArray(r[1], DType.FLOAT64, shape(), 10);
    }

    @Test
    void gradientCountsAnInputComputedFromAnotherInputOnce() {
        // the condition reads a and b = 10a, so both are inputs of the node (computed before it, whatever branch runs):
        // d/dw ifelse(c, a, b) is 3 or 30, not 60 (b's path from a counted inside the branch and again outside)
        Variable w = var(DType.FLOAT64, 0, "w");
        Variable a = T.mul(w, 3.0);
        Variable b = T.mul(a, 10.0);
        Variable z = IfElse.build(T.gt(T.add(a, b), 0), List.of(a), List.of(b), null).get(0);
        Variable g = Gradient.grad(z, List.of(w), null, "raise").get(0);
        assertArray(run(List.of(w), g, scalar(1, DType.FLOAT64)), DType.FLOAT64, shape(), 3);
        assertArray(run(List.of(w), g, scalar(-1, DType.FLOAT64)), DType.FLOAT64, shape(), 30);
        checkGrad(in -> IfElse.build(T.gt(T.add(T.mul(in[0], 3.0), T.mul(T.mul(in[0], 3.0), 10.0)), 0),
                List.of(T.mul(in[0], 3.0)), List.of(T.mul(T.mul(in[0], 3.0), 10.0)), null).get(0), arr(DType.FLOAT64, shape(), -0.5));
    }
}
