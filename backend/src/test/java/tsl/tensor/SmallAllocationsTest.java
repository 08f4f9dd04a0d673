package tsl.tensor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class SmallAllocationsTest {
    @Test
    void slicesAreZeroedAlignedNativeAndExactlySized() {
        for (long bytes = 1; bytes <= SmallAllocations.MAX_BYTES; bytes++) {
            MemorySegment s = SmallAllocations.allocate(bytes);
            assertTrue(s.isNative());
            assertEquals(bytes, s.byteSize());
            assertEquals(0, s.address() % 16, "16-byte aligned");
            for (long i = 0; i < bytes; i++) {
                assertEquals(0, s.get(JAVA_BYTE, i));
            }
            s.fill((byte) 0x5a);   // dirty it: a later slice must not see this
        }
        assertThrows(IllegalArgumentException.class, () -> SmallAllocations.allocate(SmallAllocations.MAX_BYTES + 1));
        assertThrows(IllegalArgumentException.class, () -> SmallAllocations.allocate(0));
    }

    @Test
    void concurrentSlicesNeverOverlap() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<MemorySegment>>> parts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final long tag = t;
                parts.add(pool.submit(() -> {
                    List<MemorySegment> mine = new ArrayList<>();
                    for (long i = 0; i < 5000; i++) {
                        MemorySegment s = SmallAllocations.allocate(8);
                        assertEquals(0, s.get(JAVA_LONG, 0));
                        s.set(JAVA_LONG, 0, tag << 32 | i);
                        mine.add(s);
                    }
                    return mine;
                }));
            }
            for (int t = 0; t < 4; t++) {
                List<MemorySegment> mine = parts.get(t).get();
                for (int i = 0; i < mine.size(); i++) {
                    assertEquals((long) t << 32 | i, mine.get(i).get(JAVA_LONG, 0), "slice overwritten by another thread");
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void scalarsUseSmallSlicesAndLargeArraysTheirOwnMemory() {
        NDArray s = NDArray.scalar(2.5, DType.FLOAT64);
        assertEquals(8, s.segment().byteSize());
        assertEquals(2.5, s.item());
        NDArray big = NDArray.zeros(DType.FLOAT64, 100);
        assertEquals(800, big.segment().byteSize());
    }
}
