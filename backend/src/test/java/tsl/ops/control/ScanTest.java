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
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.control.ScanBuilder.OutputInfo;
import tsl.ops.control.ScanBuilder.Sequence;
import tsl.ops.control.ScanBuilder.Step;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

class ScanTest {

    static Step out(Variable... outs) {
        return new Step(List.of(outs), Map.of(), null);
    }

    static ScanBuilder.Result scan(Function<List<Variable>, Step> fn, List<Sequence> seqs, List<OutputInfo> info,
                                   List<Variable> nonSeqs, Variable nSteps) {
        return ScanBuilder.scan(fn, seqs, info, nonSeqs, nSteps, -1, false, null);
    }

    @Test
    void cumulativeSum() {
        Variable v = var(DType.FLOAT64, 1, "v");
        Variable r = scan(a -> out(T.add(a.get(1), a.get(0))), List.of(new Sequence(v)),
                List.of(OutputInfo.of(T.constant(0.0, DType.FLOAT64))), List.of(), null).outputs().get(0);
        assertArray(run(List.of(v), r, vec(DType.FLOAT64, 1, 2, 3, 4, 5)), DType.FLOAT64, shape(5), 1, 3, 6, 10, 15);
    }

    @Test
    void perStepOutputsWithANonSequence() {
        Variable coef = var(DType.INT32, 1, "coef");
        Variable pow = var(DType.INT32, 1, "pow");
        Variable x = var(DType.INT32, 0, "x");
        Variable r = scan(a -> out(T.mul(a.get(0), T.pow(a.get(2), a.get(1)))), List.of(new Sequence(coef), new Sequence(pow)),
                List.of(), List.of(x), null).outputs().get(0);
        NDArray c = NDArray.fromLongs(DType.INT32, new int[] {5}, new long[] {2, 3, 4, 6, 5});
        NDArray p = NDArray.fromLongs(DType.INT32, new int[] {5}, new long[] {0, 1, 2, 3, 4});
        assertArray(run(List.of(x, coef, pow), r, NDArray.scalar(10, DType.INT32), c, p), DType.INT32, shape(5),
                2, 30, 400, 6000, 50000);
    }

    @Test
    void fibonacciWithTwoTaps() {
        Variable init = var(DType.INT64, 1, "init");
        Variable r = scan(a -> out(T.add(a.get(0), a.get(1))), List.of(), List.of(new OutputInfo(init, new int[] {-2, -1})),
                List.of(), T.constant(8L, DType.INT64)).outputs().get(0);
        assertArray(run(List.of(init), r, NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {0, 1})), DType.INT64, shape(8),
                1, 2, 3, 5, 8, 13, 21, 34);
    }

    @Test
    void sequenceTapsAndGoBackwards() {
        Variable v = var(DType.FLOAT64, 1, "v");
        // x[t-1] * 10 + x[t+1] over 1..5: three steps
        Variable r = scan(a -> out(T.add(T.mul(a.get(0), 10), a.get(1))), List.of(new Sequence(v, new int[] {-1, 1})),
                List.of(OutputInfo.none()), List.of(), null).outputs().get(0);
        assertArray(run(List.of(v), r, vec(DType.FLOAT64, 1, 2, 3, 4, 5)), DType.FLOAT64, shape(3), 13, 24, 35);
        Variable back = ScanBuilder.scan(a -> out(T.add(T.mul(a.get(1), 10), a.get(0))), List.of(new Sequence(v)),
                List.of(OutputInfo.of(T.constant(0.0, DType.FLOAT64))), List.of(), null, -1, true, null).outputs().get(0);
        assertArray(run(List.of(v), back, vec(DType.FLOAT64, 1, 2, 3)), DType.FLOAT64, shape(3), 3, 32, 321);
    }

    @Test
    void untilStopsAfterTheFirstTrueCondition() {
        Variable x = var(DType.FLOAT64, 0, "x");
        Variable r = scan(a -> new Step(List.of(T.mul(a.get(0), 2)), Map.of(), T.gt(T.mul(a.get(0), 2), 40)), List.of(),
                List.of(OutputInfo.of(x)), List.of(), T.constant(100L, DType.INT64)).outputs().get(0);
        assertArray(run(List.of(x), r, NDArray.scalar(3.0, DType.FLOAT64)), DType.FLOAT64, shape(4), 6, 12, 24, 48);
        // n_steps still bounds a loop whose condition never holds
        assertArray(run(List.of(x), r, NDArray.scalar(-1.0, DType.FLOAT64)), DType.FLOAT64, shape(100), minusPowers());
    }

    @Test
    void untilWithoutABoundIsAWhileLoopWhoseBuffersGrow() {
        // nothing bounds the loop: it runs until the condition holds (here 20 steps, past the first buffer of 16)
        Variable x = var(DType.FLOAT64, 0, "x");
        Variable v = var(DType.FLOAT64, 1, "v");
        ScanBuilder.Result r = scan(a -> new Step(List.of(T.add(a.get(0), 1), T.mul(a.get(1), 2)), Map.of(),
                T.ge(T.add(a.get(0), 1), 20)), List.of(), List.of(OutputInfo.of(x), OutputInfo.of(v)), List.of(), null);
        NDArray[] got = runAll(List.of(x, v), r.outputs(), NDArray.scalar(0.0, DType.FLOAT64), vec(DType.FLOAT64, 1, -1));
        double[] counts = new double[20];
        double[] doubled = new double[40];
        for (int i = 0; i < 20; i++) {
            counts[i] = i + 1;
            doubled[2 * i] = Math.pow(2, i + 1);
            doubled[2 * i + 1] = -Math.pow(2, i + 1);
        }
        assertArray(got[0], DType.FLOAT64, shape(20), counts);
        assertArray(got[1], DType.FLOAT64, shape(20, 2), doubled);
        // a condition already true stops after the one step scan always runs
        assertArray(runAll(List.of(x, v), r.outputs(), NDArray.scalar(30.0, DType.FLOAT64), vec(DType.FLOAT64, 1, -1))[0],
                DType.FLOAT64, shape(1), 31);
    }

    @Test
    void gradientThroughAnUnboundedUntilLoop() {
        checkGrad(in -> scan(a -> new Step(List.of(T.mul(a.get(0), in[1])), Map.of(), T.gt(T.mul(a.get(0), in[1]), 50)),
                        List.of(), List.of(OutputInfo.of(in[0])), List.of(), null).outputs().get(0),
                NDArray.scalar(0.7, DType.FLOAT64), NDArray.scalar(1.3, DType.FLOAT64));
    }

    private static double[] minusPowers() {
        double[] d = new double[100];
        double v = -1;
        for (int i = 0; i < 100; i++) {
            v *= 2;
            d[i] = v;
        }
        return d;
    }

    @Test
    void freeVariablesAndSharedUpdates() {
        Variable w = var(DType.FLOAT64, 0, "w"); // used by the body without being passed
        SharedVariable count = new SharedVariable(new TensorType(DType.FLOAT64), NDArray.scalar(0.0, DType.FLOAT64), "count");
        Variable v = var(DType.FLOAT64, 1, "v");
        ScanBuilder.Result res = scan(a -> new Step(List.of(T.mul(a.get(0), T.add(w, count))), Map.of(count, T.add(count, 1)), null),
                List.of(new Sequence(v)), List.of(), List.of(), null);
        FunctionBuilder b = new FunctionBuilder().inputs(List.of(In.of(v), In.of(w))).outputs(res.outputs(), true);
        res.updates().forEach(b::update);
        tsl.compile.Function f = b.build();
        NDArray r = f.call(vec(DType.FLOAT64, 1, 1, 1), NDArray.scalar(10.0, DType.FLOAT64))[0];
        assertArray(r, DType.FLOAT64, shape(3), 10, 11, 12);
        assertEquals(3.0, count.getValue(true).item());
        r = f.call(vec(DType.FLOAT64, 2), NDArray.scalar(10.0, DType.FLOAT64))[0];
        assertArray(r, DType.FLOAT64, shape(1), 26);
        assertEquals(4.0, count.getValue(true).item());
    }

    @Test
    void errorsAUserCanCause() {
        Variable x = var(DType.FLOAT64, 0, "x");
        Variable i = var(DType.INT64, 0, "i");
        assertEquals("ValueError", assertThrows(TslException.class,
                () -> scan(a -> out(T.mul(a.get(0), 2)), List.of(), List.of(OutputInfo.of(x)), List.of(), null)).pythonType());
        TslException up = assertThrows(TslException.class,
                () -> scan(a -> out(T.mul(a.get(0), 0.5)), List.of(), List.of(OutputInfo.of(i)), List.of(), T.constant(3L)));
        assertEquals("TypeError", up.pythonType());
        assertTrue(up.getMessage().contains("dtype"), up.getMessage());
        // a body whose result changes shape from step to step fails when run
        Variable v = var(DType.FLOAT64, 1, "v");
        Variable r = scan(a -> out(T.add(a.get(0), a.get(0))), List.of(), List.of(OutputInfo.of(v)), List.of(), T.constant(2L)).outputs().get(0);
        assertArray(run(List.of(v), r, vec(DType.FLOAT64, 1, 2)), DType.FLOAT64, shape(2, 2), 2, 4, 4, 8);
        Variable bad = scan(a -> out(T.concatenate(List.of(a.get(0), a.get(0)), 0)), List.of(), List.of(OutputInfo.of(v)), List.of(),
                T.constant(2L)).outputs().get(0);
        assertEquals("ValueError", assertThrows(TslException.class, () -> run(List.of(v), bad, vec(DType.FLOAT64, 1))).pythonType());
    }

    // ------------------------------------------------------------------ gradients, against finite differences

    @Test
    void gradientOfAnRnn() {
        // h_t = tanh(W h_{t-1} + x_t): gradients wrt X, W and h0
        checkGrad(in -> scan(a -> out(T.tanh(T.add(T.dot(a.get(2), a.get(1)), a.get(0)))), List.of(new Sequence(in[0])),
                        List.of(OutputInfo.of(in[2])), List.of(in[1]), null).outputs().get(0),
                arr(DType.FLOAT64, shape(3, 2), 0.1, 0.2, 0.3, -0.1, 0.0, 0.5),
                arr(DType.FLOAT64, shape(2, 2), 0.5, -0.5, 0.25, 0.75),
                vec(DType.FLOAT64, 0.0, 1.0));
    }

    @Test
    void gradientThroughTwoTapsAndAFreeVariable() {
        // y_t = a * y_{t-2} + sin(y_{t-1}) * x_t, a read from outside the body
        checkGrad(in -> scan(a -> out(T.add(T.mul(in[2], a.get(1)), T.mul(T.sin(a.get(2)), a.get(0)))),
                        List.of(new Sequence(in[0])), List.of(new OutputInfo(in[1], new int[] {-2, -1})), List.of(), null)
                        .outputs().get(0),
                vec(DType.FLOAT64, 0.3, -0.4, 0.9, 1.1, 0.2), vec(DType.FLOAT64, 0.5, -0.25, 7.0), NDArray.scalar(0.7, DType.FLOAT64));
    }

    @Test
    void gradientThroughSequenceTapsAndPerStepOutputs() {
        checkGrad(in -> scan(a -> out(T.mul(T.exp(a.get(0)), T.sqr(a.get(1)))), List.of(new Sequence(in[0], new int[] {-1, 1})),
                        List.of(OutputInfo.none()), List.of(), null).outputs().get(0),
                vec(DType.FLOAT64, 0.3, -0.4, 0.9, 1.1, 0.2));
        checkGrad(in -> ScanBuilder.scan(a -> out(T.add(T.mul(a.get(1), a.get(2)), a.get(0))), List.of(new Sequence(in[0])),
                        List.of(OutputInfo.of(in[1])), List.of(in[2]), null, -1, true, null).outputs().get(0),
                vec(DType.FLOAT64, 0.3, -0.4, 0.9), NDArray.scalar(0.5, DType.FLOAT64), NDArray.scalar(1.5, DType.FLOAT64));
    }

    @Test
    void gradientThroughAnUntilLoop() {
        // the loop stops when the state passes 5: only the steps that ran carry gradient
        checkGrad(in -> scan(a -> new Step(List.of(T.mul(a.get(0), in[1])), Map.of(), T.gt(T.mul(a.get(0), in[1]), 5)),
                        List.of(), List.of(OutputInfo.of(in[0])), List.of(), T.constant(50L)).outputs().get(0),
                NDArray.scalar(0.7, DType.FLOAT64), NDArray.scalar(1.9, DType.FLOAT64));
    }

    @Test
    void truncatedGradientOnlyFollowsTheLastSteps() {
        Variable x = var(DType.FLOAT64, 1, "x");
        Variable h0 = var(DType.FLOAT64, 0, "h0");
        Variable w = var(DType.FLOAT64, 0, "w");
        Function<Integer, List<Variable>> grads = k -> {
            Variable hs = ScanBuilder.scan(a -> out(T.add(T.mul(a.get(1), w), a.get(0))), List.of(new Sequence(x)),
                    List.of(OutputInfo.of(h0)), List.of(), null, k, false, null).outputs().get(0);
            Variable cost = T.subtensor(hs, -1);
            return tsl.grad.Gradient.grad(cost, List.of(x, h0, w), null, "raise");
        };
        NDArray xv = vec(DType.FLOAT64, 1, 2, 3, 4);
        NDArray h0v = NDArray.scalar(1.0, DType.FLOAT64);
        NDArray wv = NDArray.scalar(2.0, DType.FLOAT64);
        // h4 = x4 + w x3 + w^2 x2 + w^3 x1 + w^4 h0
        NDArray[] full = runAll(List.of(x, h0, w), grads.apply(-1), xv, h0v, wv);
        assertArray(full[0], DType.FLOAT64, shape(4), 8, 4, 2, 1);
        assertArray(full[1], DType.FLOAT64, shape(), 16);
        assertArray(full[2], DType.FLOAT64, shape(), 3 + 2 * 2 * 2 + 3 * 4 * 1 + 4 * 8 * 1);
        NDArray[] cut = runAll(List.of(x, h0, w), grads.apply(2), xv, h0v, wv);
        assertArray(cut[0], DType.FLOAT64, shape(4), 0, 0, 2, 1);
        assertArray(cut[1], DType.FLOAT64, shape(), 0);
        // h = 1, 3, 8, 19, 42; the last two steps: h4 = w h3 + x4, h3 = w h2 + x3 with h2 held: h3 + w h2
        assertArray(cut[2], DType.FLOAT64, shape(), 19 + 2 * 8);
    }

    @Test
    void nestedLoopsAndConditionsInsideTheBody() {
        // each step sums its row with an inner scan, and keeps it only when positive (ifelse inside the body)
        Variable m = var(DType.FLOAT64, 2, "m");
        Variable r = scan(a -> {
            Variable rowSum = scan(b -> out(T.add(b.get(1), b.get(0))), List.of(new Sequence(a.get(0))),
                    List.of(OutputInfo.of(T.constant(0.0, DType.FLOAT64))), List.of(), null).outputs().get(0);
            Variable total = T.subtensor(rowSum, -1);
            return out(T.add(a.get(1), IfElse.build(T.gt(total, 0), List.of(total), List.of(T.constant(0.0, DType.FLOAT64)), null).get(0)));
        }, List.of(new Sequence(m)), List.of(OutputInfo.of(T.constant(0.0, DType.FLOAT64))), List.of(), null).outputs().get(0);
        assertArray(run(List.of(m), r, arr(DType.FLOAT64, shape(3, 2), 1, 2, -5, 1, 0.5, 0.25)), DType.FLOAT64, shape(3), 3, 3, 3.75);
    }

    @Test
    void gradientThroughNestedLoopsAndConditions() {
        checkGrad(in -> scan(a -> {
            Variable inner = scan(b -> out(T.mul(b.get(1), T.add(b.get(0), in[1]))), List.of(new Sequence(a.get(0))),
                    List.of(OutputInfo.of(T.constant(1.0, DType.FLOAT64))), List.of(), null).outputs().get(0);
            Variable p = T.subtensor(inner, -1);
            Variable h = IfElse.build(T.gt(p, 0), List.of(T.mul(p, a.get(1))), List.of(T.sin(a.get(1))), null).get(0);
            return out(h);
        }, List.of(new Sequence(in[0])), List.of(OutputInfo.of(in[2])), List.of(), null).outputs().get(0),
                arr(DType.FLOAT64, shape(3, 2), 0.5, 0.2, -1.5, 0.3, 0.4, 0.1), NDArray.scalar(0.3, DType.FLOAT64),
                NDArray.scalar(0.9, DType.FLOAT64));
    }

    @Test
    void gradientWrtASharedVariableReadByTheBody() {
        SharedVariable w = new SharedVariable(new TensorType(DType.FLOAT64), NDArray.scalar(0.5, DType.FLOAT64), "w");
        Variable v = var(DType.FLOAT64, 1, "v");
        Variable hs = scan(a -> out(T.add(T.mul(a.get(1), w), a.get(0))), List.of(new Sequence(v)),
                List.of(OutputInfo.of(T.constant(1.0, DType.FLOAT64))), List.of(), null).outputs().get(0);
        Variable g = tsl.grad.Gradient.grad(T.sum(hs), List.of(w), null, "raise").get(0);
        // h1 = w + 1, h2 = w h1 + 2: d/dw (h1 + h2) = 1 + h1 + w = 1 + 1.5 + 0.5
        assertArray(run(List.of(v), g, vec(DType.FLOAT64, 1, 2)), DType.FLOAT64, shape(), 3);
    }

    @Test
    void strictRejectsVariablesNotPassedAsNonSequences() {
        Variable v = var(DType.FLOAT64, 1, "v");
        Variable w = var(DType.FLOAT64, 0, "w");
        Function<List<Variable>, Step> body = a -> out(T.mul(a.get(0), T.exp(w)));
        TslException e = assertThrows(TslException.class, () -> ScanBuilder.scan(body, List.of(new Sequence(v)), List.of(), List.of(),
                null, -1, false, null, true));
        assertEquals("MissingInputError", e.pythonType());
        // passed as a non-sequence it is fine, even when the body uses an expression of it
        Variable r = ScanBuilder.scan(body, List.of(new Sequence(v)), List.of(), List.of(w), null, -1, false, null, true)
                .outputs().get(0);
        assertArray(run(List.of(v, w), r, vec(DType.FLOAT64, 1, 2), NDArray.scalar(0.0, DType.FLOAT64)), DType.FLOAT64, shape(2), 1, 2);
    }
}
