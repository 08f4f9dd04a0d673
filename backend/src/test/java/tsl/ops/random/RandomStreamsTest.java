package tsl.ops.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

class RandomStreamsTest {

    @Test
    void philoxMatchesTheRandom123KnownAnswers() {
        int[] w = new int[4];
        Philox.block(0L, 0L, 0L, w);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, w);
        Philox.block(-1L, -1L, -1L, w);
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, w);
        Philox.block(0x299f31d0a4093822L, 0x85a308d3243f6a88L, 0x0370734413198a2eL, w);
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}, w);
    }

    private static NDArray run(Variable v, boolean defaultUpdates) {
        Function f = new FunctionBuilder().outputs(List.of(v), true).noDefaultUpdates(!defaultUpdates).build();
        return f.call()[0];
    }

    @Test
    void eachCallDrawsFreshValuesAndTheSameSeedRepeatsThem() {
        RandomStreams a = new RandomStreams(7);
        Variable u = a.uniform(new Object[] {3, 4}, 0.0, 1.0, DType.FLOAT64);
        Function f = new FunctionBuilder().outputs(List.of(u), true).build();
        NDArray first = f.call()[0];
        NDArray second = f.call()[0];
        assertArrayEquals(new int[] {3, 4}, first.shape());
        assertFalse(Arrays.equals(first.toDoubleArray(), second.toDoubleArray()));
        for (double x : first.toDoubleArray()) {
            assertTrue(x >= 0 && x < 1, "uniform out of range: " + x);
        }
        a.seed(7);
        assertArrayEquals(first.toDoubleArray(), f.call()[0].toDoubleArray());
        RandomStreams b = new RandomStreams(7);
        assertArrayEquals(first.toDoubleArray(), run(b.uniform(new Object[] {3, 4}, 0.0, 1.0, DType.FLOAT64), true).toDoubleArray());
    }

    @Test
    void withoutDefaultUpdatesTheStreamDoesNotAdvance() {
        RandomStreams s = new RandomStreams(1);
        Variable n = s.normal(new Object[] {5}, 0.0, 1.0, DType.FLOAT64);
        assertArrayEquals(run(n, false).toDoubleArray(), run(n, false).toDoubleArray());
    }

    @Test
    void normalHasItsMeanAndSpread() {
        RandomStreams s = new RandomStreams(3);
        double[] x = run(s.normal(new Object[] {200_000}, 1.5, 2.0, DType.FLOAT64), true).toDoubleArray();
        double mean = Arrays.stream(x).average().orElseThrow();
        double var = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        assertEquals(1.5, mean, 0.02);
        assertEquals(2.0, Math.sqrt(var), 0.02);
    }

    @Test
    void binomialCountsSuccessesAndPermutationIsAPermutation() {
        RandomStreams s = new RandomStreams(11);
        double[] b = run(s.binomial(new Object[] {20_000}, 4, 0.25, DType.FLOAT64), true).toDoubleArray();
        assertEquals(1.0, Arrays.stream(b).average().orElseThrow(), 0.03);
        assertTrue(Arrays.stream(b).allMatch(v -> v >= 0 && v <= 4 && v == Math.rint(v)));
        long[] p = run(s.permutation(10L, DType.INT64), true).toLongArray();
        long[] sorted = p.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        double[] c = run(s.choice(new Object[] {30_000}, 3L, true, NDArray.of(0.2, 0.3, 0.5), DType.FLOAT64), true).toDoubleArray();
        assertEquals(0.5, Arrays.stream(c).filter(v -> v == 2).count() / 30_000.0, 0.02);
    }

    @Test
    void aNegativeSizeIsAnError() {
        RandomStreams s = new RandomStreams(0);
        TslException e = assertThrows(TslException.class, () -> s.uniform(new Object[] {-2}, 0.0, 1.0, DType.FLOAT64));
        assertEquals("ValueError", e.pythonType());
    }
}
