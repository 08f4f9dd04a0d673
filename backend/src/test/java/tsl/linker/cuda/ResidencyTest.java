package tsl.linker.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** The residency's bookkeeping with a fake device memory (no GPU): what is kept, evicted, released and freed. */
class ResidencyTest {
    private final List<DeviceArray.Buffer> freed = new ArrayList<>();
    private final Residency r = new Residency(freed::add);

    private static DeviceArray buffer(int n) {
        return new DeviceArray(DType.FLOAT32, new int[] {n}, new long[] {1}, 0, new DeviceArray.Buffer(new DevicePointer(), 4L * n));
    }

    @Test
    void copiesAreKeyedByTheHostArrayIdentity() {
        NDArray a = NDArray.of(1, 2);
        NDArray same = NDArray.of(1, 2);
        DeviceArray d = buffer(2);
        r.keep(a, d);
        assertSame(d, r.lookup(a));
        assertNull(r.lookup(same), "an equal array is another value (set_value installs a new one)");
        assertNull(r.residentValue(a), "a copy is not a device-only value");
        DeviceArray d2 = buffer(2);
        r.keep(a, d2);
        assertEquals(List.of(d.buffer()), freed, "a replaced copy is freed");
    }

    @Test
    void evictionDropsCopiesButNeverDeviceOnlyValuesOrPinnedOnes() {
        NDArray copy = NDArray.of(1);
        NDArray pinnedCopy = NDArray.of(2);
        NDArray placeholder = ResidentValue.placeholder(DType.FLOAT32, new int[] {3});
        DeviceArray c = buffer(1);
        DeviceArray p = buffer(1);
        DeviceArray v = buffer(3);
        r.keep(copy, c);
        r.keep(pinnedCopy, p);
        r.keepOnDevice(placeholder, v, null);
        r.pin(p);
        r.evictAll();
        assertEquals(List.of(c.buffer()), freed);
        assertSame(v, r.lookup(placeholder), "the only copy of an update's value stays");
        assertSame(p, r.lookup(pinnedCopy), "the running call reads it");
        r.unpinAll();
        r.evictAll();
        assertEquals(2, freed.size());
        assertEquals(1, r.size());
    }

    @Test
    void releasingADeviceValueFreesItOnce() {
        NDArray placeholder = ResidentValue.placeholder(DType.FLOAT32, new int[] {3});
        DeviceArray v = buffer(3);
        r.keepOnDevice(placeholder, v, null);
        r.release(placeholder);
        r.release(placeholder);
        assertEquals(List.of(v.buffer()), freed);
        assertNull(r.lookup(placeholder));
        assertEquals(0, r.size());
    }

    @Test
    void placeholdersAreRecognisedAndCannotBeReadAsData() {
        NDArray placeholder = ResidentValue.placeholder(DType.FLOAT64, new int[] {2, 3});
        assertTrue(ResidentValue.isPlaceholder(placeholder));
        assertFalse(ResidentValue.isPlaceholder(NDArray.zeros(DType.FLOAT64, 2, 3)));
        assertFalse(ResidentValue.isPlaceholder(NDArray.zeros(DType.FLOAT64, 0)));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> placeholder.getDouble(0),
                "reading a placeholder fails loudly, never a silent wrong value");
    }
}
