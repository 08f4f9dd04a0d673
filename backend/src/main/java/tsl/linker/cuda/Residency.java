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
 * Device arrays that live between calls, keyed by the identity of a host NDArray. Two kinds:
 * <ul>
 * <li>copies of host arrays (values of shared variables set from the host, constants): a
 *     cache, so coherence comes for free: {@code set_value} installs a new array, a new key,
 *     uploaded at the next call. Evicted when the device runs short of memory (losing one
 *     costs an upload).
 * <li>values that exist only on the device: the update results a call left there, keyed by
 *     the placeholder the shared variable holds ({@link ResidentValue}). Never evicted; freed
 *     when the variable lets go of them ({@link #release}).
 * </ul>
 * Entries also go when their key is collected (a placeholder that was never stored because
 * its call failed, an old host array). Callers hold the device lock. As in Theano, an array
 * obtained with {@code borrow=True} and modified in place is not seen.
 */
final class Residency {
    /** Gives a device buffer back (to the device's free lists); a seam for tests without a GPU. */
    interface Memory {
        void free(DeviceArray.Buffer b);
    }

    private record Entry(DeviceArray array, ResidentValue value, boolean deviceOnly) {}

    private final Memory memory;
    private final ReferenceQueue<NDArray> collected = new ReferenceQueue<>();
    private final Map<Key, Entry> entries = new HashMap<>();
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

    Residency(Memory memory) {
        this.memory = memory;
    }

    private Entry entry(NDArray host) {
        drain();
        Key probe = new Key(host, null);
        Entry e = entries.get(probe);
        probe.clear();
        return e;
    }

    /** The device array for {@code host} (a copy, or the value a placeholder stands for), or null. */
    DeviceArray lookup(NDArray host) {
        Entry e = entry(host);
        return e == null ? null : e.array;
    }

    /** The device-only value {@code placeholder} stands for, or null. */
    ResidentValue residentValue(NDArray placeholder) {
        Entry e = entry(placeholder);
        return e == null ? null : e.value;
    }

    /** Records that {@code dev} (a contiguous buffer this cache now owns) holds the same values as {@code host}. */
    void keep(NDArray host, DeviceArray dev) {
        put(host, new Entry(dev, null, false));
    }

    /** Records a value that lives only on the device; {@code dev} is a contiguous buffer this residency now owns. */
    void keepOnDevice(NDArray placeholder, DeviceArray dev, ResidentValue value) {
        put(placeholder, new Entry(dev, value, true));
    }

    private void put(NDArray host, Entry e) {
        drain();
        Entry old = entries.put(new Key(host, collected), e);
        if (old != null && old.array.buffer() != e.array.buffer()) {
            memory.free(old.array.buffer());
        }
    }

    /** Frees the device value {@code placeholder} stands for: its shared variable holds something else now. */
    void release(NDArray placeholder) {
        Key probe = new Key(placeholder, null);
        Entry e = entries.remove(probe);
        probe.clear();
        if (e != null) {
            memory.free(e.array.buffer());
        }
        drain();
    }

    /** Frees the entries whose keys have been collected. */
    void drain() {
        java.lang.ref.Reference<? extends NDArray> r;
        while ((r = collected.poll()) != null) {
            Entry e = entries.remove((Key) r);
            if (e != null) {
                memory.free(e.array.buffer());
            }
        }
    }

    /** Drops every copy the running call does not use (values that live only on the device stay). */
    void evictAll() {
        List<Key> dropped = new ArrayList<>();
        for (Map.Entry<Key, Entry> e : entries.entrySet()) {
            if (!e.getValue().deviceOnly && !pinned.containsKey(e.getValue().array.buffer())) {
                dropped.add(e.getKey());
            }
        }
        for (Key k : dropped) {
            Entry e = entries.remove(k);
            k.clear();
            memory.free(e.array.buffer());
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
