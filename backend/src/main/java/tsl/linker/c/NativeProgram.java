package tsl.linker.c;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import tsl.compile.Linker;
import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.linker.jvm.JvmLinker;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * A linked function: native segments and Java steps over one array of value slots. The
 * per-call scratch (descriptor tables, kept buffers) lives in a {@link State}; states are
 * pooled, so concurrent calls each get their own and no buffer is shared between calls in
 * flight.
 */
final class NativeProgram implements Linker.Program {
    private static final Cleaner CLEANER = Cleaner.create();

    sealed interface Step permits JavaStep, NativeStep {}

    record JavaStep(Apply node, int[] in, int[] out) implements Step {}

    /** A segment: {@code in} are the global slots of its inputs, {@code exports} the global slots of what it exports. */
    record NativeStep(Segment segment, MethodHandle entry, int index, int[] in, int[] exports) implements Step {}

    private final Step[] steps;
    private final int nslots;
    private final int nfree;
    private final int[] outputSlots;
    private final ConcurrentLinkedQueue<State> pool = new ConcurrentLinkedQueue<>();

    NativeProgram(List<Step> steps, int nslots, int nfree, int[] outputSlots) {
        this.steps = steps.toArray(new Step[0]);
        this.nslots = nslots;
        this.nfree = nfree;
        this.outputSlots = outputSlots;
    }

    @Override
    public NDArray[] run(NDArray[] freeValues) {
        NDArray[] values = new NDArray[nslots];
        System.arraycopy(freeValues, 0, values, 0, nfree);
        State st = pool.poll();
        if (st == null) {
            st = new State(steps);
        }
        try {
            for (Step step : steps) {
                switch (step) {
                    case JavaStep j -> {
                        NDArray[] args = new NDArray[j.in.length];
                        for (int i = 0; i < args.length; i++) {
                            args[i] = values[j.in[i]];
                        }
                        NDArray[] results = JvmLinker.perform(j.node, args);
                        for (int i = 0; i < j.out.length; i++) {
                            values[j.out[i]] = results[i];
                        }
                    }
                    case NativeStep n -> runSegment(n, st, values);
                }
            }
        } finally {
            pool.offer(st);
        }
        NDArray[] outs = new NDArray[outputSlots.length];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = values[outputSlots[i]];
        }
        return outs;
    }

    private static void runSegment(NativeStep step, State st, NDArray[] values) {
        Segment seg = step.segment;
        MemorySegment table = st.tables[step.index];
        int nin = step.in.length;
        NDArray[] inputs = new NDArray[nin];
        for (int j = 0; j < nin; j++) {
            NDArray a = values[step.in[j]];
            if (!a.segment().isNative()) {
                a = a.copy();
            }
            inputs[j] = a;
            long base = j * Prelude.ARR_BYTES;
            table.set(JAVA_LONG, base, a.segment().address() + a.offset() * a.dtype().byteSize());
            table.set(JAVA_LONG, base + 8, a.ndim());
            table.set(JAVA_LONG, base + 16, j);
            int[] shape = a.shape();
            long[] strides = a.strides();
            for (int d = 0; d < shape.length; d++) {
                table.set(JAVA_LONG, base + Prelude.SHAPE_OFFSET + 8L * d, shape[d]);
                table.set(JAVA_LONG, base + Prelude.STRIDES_OFFSET + 8L * d, strides[d]);
            }
        }
        int rc;
        try {
            rc = (int) step.entry.invokeExact(table, st.bufs[step.index], st.caps[step.index], st.err);
        } catch (Throwable t) {
            throw new IllegalStateException("native segment " + seg.functionName() + " failed", t);
        }
        if (rc != 0) {
            throw error(seg.nodes.get(rc - 1), st.err.getString(0));
        }
        // fresh buffers become Java's; one no export points into is freed at once
        MemorySegment[] owned = new MemorySegment[seg.slotCount()];
        for (int e = 0; e < seg.exports.size(); e++) {
            Variable v = seg.exports.get(e);
            int k = seg.slot(v);
            long base = k * Prelude.ARR_BYTES;
            long data = table.get(JAVA_LONG, base);
            int ndim = (int) table.get(JAVA_LONG, base + 8);
            int owner = (int) table.get(JAVA_LONG, base + 16);
            int[] shape = new int[ndim];
            long[] strides = new long[ndim];
            for (int d = 0; d < ndim; d++) {
                shape[d] = Math.toIntExact(table.get(JAVA_LONG, base + Prelude.SHAPE_OFFSET + 8L * d));
                strides[d] = table.get(JAVA_LONG, base + Prelude.STRIDES_OFFSET + 8L * d);
            }
            MemorySegment memory;
            if (owner < nin) {
                memory = inputs[owner].segment();
            } else {
                if (owned[owner] == null) {
                    owned[owner] = adopt(table, owner, seg.computed.get(owner - nin).dtype());
                }
                memory = owned[owner];
            }
            long offset = (data - memory.address()) / v.dtype().byteSize();
            values[step.exports[e]] = new NDArray(v.dtype(), shape, strides, offset, memory);
        }
        for (Variable v : seg.fresh()) {
            int k = seg.slot(v);
            long data = table.get(JAVA_LONG, k * Prelude.ARR_BYTES);
            boolean allocated = table.get(JAVA_LONG, k * Prelude.ARR_BYTES + 16) == k && data != 0;
            if (allocated && owned[k] == null) {
                NativeLibraries.free(data);
            }
        }
    }

    /** The malloc'd buffer of slot {@code k} as a segment that frees it once unreachable. */
    private static MemorySegment adopt(MemorySegment table, int k, DType dtype) {
        long base = k * Prelude.ARR_BYTES;
        long data = table.get(JAVA_LONG, base);
        long n = 1;
        int ndim = (int) table.get(JAVA_LONG, base + 8);
        for (int d = 0; d < ndim; d++) {
            n *= table.get(JAVA_LONG, base + Prelude.SHAPE_OFFSET + 8L * d);
        }
        long bytes = Math.max(1, n * dtype.byteSize());
        return MemorySegment.ofAddress(data).reinterpret(bytes, Arena.ofAuto(), s -> NativeLibraries.free(s.address()));
    }

    private static TslException error(Apply node, String message) {
        String type = "ValueError";
        String msg = message;
        if (message.startsWith("MemoryError: ")) {
            type = "MemoryError";
            msg = message.substring("MemoryError: ".length());
        }
        if (message.startsWith("IndexError: ")) {
            type = "IndexError";
            msg = message.substring("IndexError: ".length());
        }
        // the same report as the jvm linker's: the message, the node and the line that built it
        return new TslException(type, msg, node.location(), null).inNode(node);
    }

    /** The scratch of one call in flight: a descriptor table and kept buffers per segment. */
    private static final class State {
        final MemorySegment[] tables;
        final MemorySegment[] bufs;
        final MemorySegment[] caps;
        final MemorySegment err;

        State(Step[] steps) {
            int n = 0;
            for (Step s : steps) {
                if (s instanceof NativeStep) {
                    n++;
                }
            }
            tables = new MemorySegment[n];
            bufs = new MemorySegment[n];
            caps = new MemorySegment[n];
            Arena arena = Arena.ofAuto();
            for (Step s : steps) {
                if (s instanceof NativeStep ns) {
                    tables[ns.index] = arena.allocate(Math.max(1, ns.segment.slotCount()) * Prelude.ARR_BYTES, 16);
                    bufs[ns.index] = arena.allocate(8L * Math.max(1, ns.segment.reuseCount()), 8);
                    caps[ns.index] = arena.allocate(8L * Math.max(1, ns.segment.reuseCount()), 8);
                }
            }
            err = arena.allocate(Prelude.ERR_BYTES);
            MemorySegment[] kept = bufs.clone();
            // the kept buffers are malloc'd by C: free them when this state is collected
            CLEANER.register(this, () -> {
                for (MemorySegment b : kept) {
                    for (long off = 0; off < b.byteSize(); off += 8) {
                        long p = b.get(JAVA_LONG, off);
                        if (p != 0) {
                            NativeLibraries.free(p);
                        }
                    }
                }
            });
        }
    }
}
