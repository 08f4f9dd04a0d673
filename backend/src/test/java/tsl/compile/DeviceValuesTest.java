package tsl.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The bookkeeping of shared values that stay on a device between calls (the cuda linker's
 * protocol), checked without a GPU: a fake program keeps its "device" values in Java arrays
 * and counts copies to the host and releases. It computes {@code y = w + x} for the caller
 * and the update {@code w <- w + x}.
 */
class DeviceValuesTest {

    /** The fake device: placeholders stand for double[] values kept here. */
    static final class FakeDevice {
        final Map<NDArray, FakeValue> values = new IdentityHashMap<>();
        final AtomicInteger downloads = new AtomicInteger();
        final AtomicInteger releases = new AtomicInteger();
        volatile int failOnCall = -1;
        final AtomicInteger calls = new AtomicInteger();

        final class FakeValue implements SharedVariable.DeviceValue {
            final double[] data;
            volatile boolean released;
            NDArray host;

            FakeValue(double[] data) {
                this.data = data;
            }

            @Override
            public synchronized NDArray toHost() {
                if (released) {
                    throw new IllegalStateException("read after release");
                }
                if (host == null) {
                    downloads.incrementAndGet();
                    host = NDArray.fromDoubles(DType.FLOAT64, new int[] {data.length}, data.clone());
                }
                return host;
            }

            @Override
            public void release() {
                synchronized (FakeDevice.this) {
                    if (released) {
                        throw new IllegalStateException("released twice");
                    }
                    released = true;
                    values.values().remove(this);
                    releases.incrementAndGet();
                }
            }
        }

        synchronized double[] read(NDArray a) {
            FakeValue v = values.get(a);
            if (v != null) {
                if (v.released) {
                    throw new IllegalStateException("a released value was read");
                }
                return v.data.clone();
            }
            double[] d = new double[(int) a.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = a.getDouble(i);
            }
            return d;
        }

        synchronized NDArray keep(double[] d) {
            NDArray placeholder = new NDArray(DType.FLOAT64, new int[] {d.length}, new long[] {1}, 0, MemorySegment.ofArray(new byte[0]));
            values.put(placeholder, new FakeValue(d));
            return placeholder;
        }

        Linker.Program program(boolean onDevice) {
            return new Linker.Program() {
                @Override
                public NDArray[] run(NDArray[] free) {
                    return run(free, null);
                }

                @Override
                public boolean keepsValuesOnDevice() {
                    return onDevice;
                }

                @Override
                public NDArray[] run(NDArray[] free, boolean[] mayStay) {
                    if (calls.incrementAndGet() == failOnCall) {
                        throw new IllegalStateException("failing call");
                    }
                    double[] x = read(free[0]);
                    double[] w = read(free[1]);
                    double[] sum = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        sum[i] = w[i] + x[i];
                    }
                    NDArray y = NDArray.fromDoubles(DType.FLOAT64, new int[] {sum.length}, sum.clone());
                    NDArray update = mayStay != null && mayStay[1] ? keep(sum) : NDArray.fromDoubles(DType.FLOAT64, new int[] {sum.length}, sum.clone());
                    return new NDArray[] {y, update};
                }

                @Override
                public SharedVariable.DeviceValue deviceValue(NDArray result) {
                    synchronized (FakeDevice.this) {
                        return values.get(result);
                    }
                }
            };
        }
    }

    private final Variable x = new Variable(TensorType.ofNdim(DType.FLOAT64, 1), "x");
    private final SharedVariable w = new SharedVariable(TensorType.ofNdim(DType.FLOAT64, 1), NDArray.of(1, 2), "w");
    private final FakeDevice dev = new FakeDevice();

    private Function step(boolean onDevice) {
        return new Function(null, List.of(In.of(x)), 1, true, dev.program(onDevice), List.of(x, w),
                List.of(new Update(w, x)), null, null);
    }

    private static double[] values(NDArray a) {
        return new double[] {a.getDouble(0), a.getDouble(1)};
    }

    @Test
    void updatesStayOnTheDeviceUntilTheHostReadsThem() {
        Function f = step(true);
        for (int i = 0; i < 3; i++) {
            NDArray y = f.call(NDArray.of(10, 20))[0];
            assertEquals(1 + 10 * (i + 1), y.getDouble(0));
        }
        assertTrue(w.isOnDevice());
        assertEquals(0, dev.downloads.get(), "no copy to the host between calls");
        assertEquals(2, dev.releases.get(), "each replaced device value is released at once");
        assertEquals(1, dev.values.size());
        assertEquals(31.0, w.getValue(false).getDouble(0));
        NDArray borrowed = w.getValue(true);
        assertEquals(62.0, borrowed.getDouble(1));
        assertSame(borrowed, w.getValue(true), "the host copy is made once");
        assertEquals(1, dev.downloads.get());
        f.call(NDArray.of(1, 1));
        assertEquals(32.0, w.getValue(true).getDouble(0), "a call after a read works on the device value");
    }

    @Test
    void setValueReplacesAndReleasesTheDeviceValue() {
        Function f = step(true);
        f.call(NDArray.of(1, 1));
        assertTrue(w.isOnDevice());
        w.setValue(NDArray.of(5, 5), false);
        assertFalse(w.isOnDevice());
        assertEquals(1, dev.releases.get());
        assertEquals(0, dev.values.size());
        f.call(NDArray.of(1, 1));
        assertEquals(6.0, w.getValue(true).getDouble(0));
    }

    @Test
    void aFailingCallLeavesTheSharedValueAsItWas() {
        Function f = step(true);
        f.call(NDArray.of(1, 1));
        dev.failOnCall = dev.calls.get() + 1;
        assertThrows(IllegalStateException.class, () -> f.call(NDArray.of(100, 100)));
        assertTrue(w.isOnDevice());
        assertEquals(0, dev.releases.get());
        assertEquals(2.0, w.getValue(true).getDouble(0));
        assertEquals(3.0, w.getValue(true).getDouble(1));
    }

    @Test
    void aFunctionOfAnotherLinkerReadsTheSynchronisedValue() {
        step(true).call(NDArray.of(1, 1));
        assertTrue(w.isOnDevice());
        Function host = step(false);
        NDArray y = host.call(NDArray.of(1, 1))[0];
        assertEquals(1, dev.downloads.get(), "the host program got the value copied back");
        assertEquals(3.0, y.getDouble(0));
        assertFalse(w.isOnDevice(), "its update is a host array");
        assertEquals(1, dev.releases.get());
        assertEquals(4.0, w.getValue(true).getDouble(1));
    }

    @Test
    void concurrentCallsLoseNoUpdateAndReadersNeverSeeAReleasedValue() throws Exception {
        Function f = step(true);
        int perThread = 300;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    f.call(NDArray.of(1, 1));
                }
            }));
        }
        threads.add(new Thread(() -> {
            for (int i = 0; i < perThread; i++) {
                double v = w.getValue(false).getDouble(0);
                if (v < 1 || v > 1 + 2 * perThread) {
                    throw new AssertionError("impossible value " + v);
                }
            }
        }));
        for (Thread t : threads) {
            t.setUncaughtExceptionHandler((th, e) -> errors.add(e));
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(errors.isEmpty(), () -> "errors: " + errors);
        assertEquals(1.0 + 2 * perThread, values(w.getValue(true))[0]);
        assertEquals(2 * perThread - 1, dev.releases.get());
    }
}
