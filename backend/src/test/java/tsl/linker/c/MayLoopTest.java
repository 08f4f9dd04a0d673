package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;

/**
 * What a native program says about loops (Linker.Program#mayLoop), from which the language
 * decides whether a call needs a cancellable section: only segments with a loop poll the flag,
 * and a Java step may run anything, so it counts as a loop.
 */
class MayLoopTest {
    private static NativeProgram.Layout layout(boolean polls) {
        return new NativeProgram.Layout("tsl_seg0", 3, 0, new int[] {2}, new DType[] {DType.FLOAT64},
                new DType[] {null, null, DType.FLOAT64}, new int[] {2}, polls);
    }

    private static NativeProgram.Step segment() {
        return new NativeProgram.NativeStep(null, null, 0, new int[] {0, 1}, new int[] {2});
    }

    private static final NativeProgram.ErrorNodes NO_NODES = (segment, node) -> null;

    @Test
    void segmentsWithoutLoopsCannotLoop() {
        NativeProgram p = new NativeProgram(List.of(segment()), new NativeProgram.Layout[] {layout(false)}, 3, 2, new int[] {2}, NO_NODES);
        assertFalse(p.mayLoop());
    }

    @Test
    void aSegmentThatPollsMayLoop() {
        NativeProgram p = new NativeProgram(List.of(segment()), new NativeProgram.Layout[] {layout(true)}, 3, 2, new int[] {2}, NO_NODES);
        assertTrue(p.mayLoop());
    }

    @Test
    void aJavaStepMayLoop() {
        Variable a = OpTesting.var(DType.FLOAT64, 0, "a");
        Variable b = OpTesting.var(DType.FLOAT64, 0, "b");
        Apply add = T.add(a, b).owner();
        NativeProgram p = new NativeProgram(List.of(segment(), new NativeProgram.JavaStep(add, new int[] {0, 2}, new int[] {3})),
                new NativeProgram.Layout[] {layout(false), null}, 4, 2, new int[] {3}, NO_NODES);
        assertTrue(p.mayLoop());
    }
}
