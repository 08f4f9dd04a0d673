package tsl.linker.cuda;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import tsl.tensor.NDArray;

/**
 * Device copies of host arrays that live between calls: the values of shared variables and
 * constants, and the arrays a function stored into shared variables by its updates. Keyed by
 * the identity of the host NDArray, so coherence comes for free: {@code set_value} installs a
 * new array (a new key, uploaded at the next call), {@code get_value} reads the host array,
 * which a call always fills. Entries go when their host array is collected, or all at once
 * when the device runs short of memory (they are caches: losing one costs an upload).
 * As in Theano, an array obtained with {@code borrow=True} and modified in place is not seen.
 */
final class Residency {
    private final CudaDevice device;
    private final ReferenceQueue<NDArray> collected = new ReferenceQueue<>();
    private final Map<Key, DeviceArray> entries = new HashMap<>();
    private final Map<DeviceArray.Buffer, Boolean> pinned = new IdentityHashMap<>();

    /** A weak reference compared by the referent's identity. */
    private static final class Key extends WeakReference<NDArray> {
        private final int hash;

        Key(NDArray host, ReferenceQueue<NDArray> q) {
            super(host, q);
            this.hash = System.identityHashCode(host);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            return o instanceof Key k && k.hash == hash && k.get() != null && k.get() == get();
        }
    }

    Residency(CudaDevice device) {
        this.device = device;
    }

    /** The device copy of {@code host}, or null. Callers hold the device lock. */
    DeviceArray lookup(NDArray host) {
        drain();
        Key probe = new Key(host, null);
        DeviceArray d = entries.get(probe);
        probe.clear();
        return d;
    }

    /** Records that {@code dev} (a contiguous buffer this cache now owns) holds the same values as {@code host}. */
    void keep(NDArray host, DeviceArray dev) {
        Key k = new Key(host, collected);
        DeviceArray old = entries.put(k, dev);
        if (old != null && old.buffer() != dev.buffer()) {
            device.free(old.buffer().ptr, old.buffer().bytes);
        }
    }

    /** Frees the copies of host arrays that have been collected. */
    void drain() {
        java.lang.ref.Reference<? extends NDArray> r;
        while ((r = collected.poll()) != null) {
            Key k = (Key) r;
            DeviceArray d = entries.remove(k);
            if (d != null) {
                device.free(d.buffer().ptr, d.buffer().bytes);
            }
        }
    }

    /** Drops every entry the running call does not use. */
    void evictAll() {
        List<Key> dropped = new ArrayList<>();
        for (Map.Entry<Key, DeviceArray> e : entries.entrySet()) {
            if (!pinned.containsKey(e.getValue().buffer())) {
                dropped.add(e.getKey());
            }
        }
        for (Key k : dropped) {
            DeviceArray d = entries.remove(k);
            k.clear();
            device.free(d.buffer().ptr, d.buffer().bytes);
        }
    }

    int size() {
        return entries.size();
    }

    /** Keeps {@code d} through {@link #evictAll} until {@link #unpinAll}: the running call reads it. */
    void pin(DeviceArray d) {
        pinned.put(d.buffer(), Boolean.TRUE);
    }

    void unpinAll() {
        pinned.clear();
    }
}
