package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.compile.Function;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Large outputs that Java drops are freed within a bounded amount of adoption, not at the next chance collection. */
class AdoptedMemoryTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    private static final int N = 4 << 20;   // 32 MiB of float64 per output

    @Test
    void droppedOutputsDoNotPileUp() throws InterruptedException {
        Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
        Function f = NativeTesting.compile("c", List.of(x), List.of(T.exp(x)));
        NDArray xv = NDArray.zeros(DType.FLOAT64, N);
        long base = AdoptedMemory.outstanding();
        long most = 0;
        // 40 calls adopt 1.25 GiB; only a collection (none is needed for the Java heap here) frees any of it
        for (int i = 0; i < 40; i++) {
            NDArray r = ((NDArray[]) f.call(xv))[0];
            assertEquals(1.0, r.getDouble(N - 1));
            most = Math.max(most, AdoptedMemory.outstanding() - base);
        }
        assertTrue(most >= (long) N * 8, "each output is counted: " + most);
        // a collection is due after 256 MiB and may wait a few calls (AdoptedMemory.SPACING): well under the 1280 MiB kept without it
        assertTrue(most <= 640L << 20, "outstanding adopted memory stays near the collection threshold, was " + (most >> 20) + " MiB");
    }

    @Test
    void keptOutputsStayValidAcrossForcedCollections() {
        Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
        Function f = NativeTesting.compile("c", List.of(x), List.of(T.add(x, T.constant(1.0))));
        NDArray xv = NDArray.zeros(DType.FLOAT64, N);
        List<NDArray> kept = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            xv.setDouble(0, i);
            kept.add(((NDArray[]) f.call(xv))[0]);
        }
        for (int i = 0; i < kept.size(); i++) {
            assertEquals(i + 1.0, kept.get(i).getDouble(0));
            assertEquals(1.0, kept.get(i).getDouble(N - 1));
        }
    }
}
