package tsl.linker.c;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

import tsl.compile.Cancellation;
import tsl.compile.Linker;
import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.linker.jvm.JvmLinker;
import tsl.ops.control.IfElse;
import tsl.ops.control.Scan;
import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.SmallAllocations;

/**
 * A linked function: native segments and Java steps over one array of value slots. The
 * per-call scratch (descriptor tables, kept buffers) lives in a {@link State}; states are
 * pooled, so concurrent calls each get their own and no buffer is shared between calls in
 * flight.
 */
final class NativeProgram implements Linker.Program {
    private static final Cleaner CLEANER = Cleaner.create();
    // shared by every 0-d result (NDArray never writes into its shape or strides)
    private static final int[] NO_DIMS = {};
    private static final long[] NO_STRIDES = {};
    /** All of memory: reads a C buffer by address without making a segment for it. */
    private static final MemorySegment ALL_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    sealed interface Step permits JavaStep, NativeStep {}

    record JavaStep(Apply node, int[] in, int[] out) implements Step {}

    /**
     * A segment: {@code in} are the global slots of its inputs, {@code exports} the global slots
     * of what it exports. {@code segment} is null in a program loaded from the {@link ProgramCache}.
     */
    record NativeStep(Segment segment, MethodHandle entry, int index, int[] in, int[] exports) implements Step {}

    /** The node behind a segment's error code (node {@code node} of segment {@code segment}). */
    interface ErrorNodes {
        Apply node(int segment, int node);
    }

    private final Step[] steps;
    private final int nslots;
    private final int nfree;
    private final int[] outputSlots;
    private final Layout[] layouts;   // per step; null for Java steps
    private final ErrorNodes errorNodes;
    private final boolean mayLoop;
    /** What the {@link ProgramCache} stores of this program; null when it is not cacheable. */
    volatile ProgramDescription description;
    private final AtomicReference<State> spare = new AtomicReference<>();
    private final ConcurrentLinkedQueue<State> pool = new ConcurrentLinkedQueue<>();

    NativeProgram(List<Step> steps, int nslots, int nfree, int[] outputSlots) {
        this(steps, layoutsOf(steps), nslots, nfree, outputSlots, null);
    }

    /** A program whose segments are described by {@code layouts} (a cached one: its steps carry no Segment). */
    NativeProgram(List<Step> steps, Layout[] layouts, int nslots, int nfree, int[] outputSlots, ErrorNodes errorNodes) {
        this.steps = steps.toArray(new Step[0]);
        this.layouts = layouts;
        this.errorNodes = errorNodes != null ? errorNodes
                : (seg, node) -> ((NativeStep) this.steps[stepOfSegment(seg)]).segment.nodes.get(node);
        this.nslots = nslots;
        this.nfree = nfree;
        this.outputSlots = outputSlots;
        this.mayLoop = mayLoop(this.steps, layouts);
    }

    /**
     * A segment with a loop polls the cancellation flag; a Java step may run anything (a scan
     * or an ifelse in Java, a per-row loop of jacobian), so it counts as a loop too. A program
     * from the ProgramCache has only segments, whose stored layouts say whether they poll.
     */
    private static boolean mayLoop(Step[] steps, Layout[] layouts) {
        for (int s = 0; s < steps.length; s++) {
            if (steps[s] instanceof JavaStep || layouts[s].polls) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean mayLoop() {
        return mayLoop;
    }

    private static Layout[] layoutsOf(List<Step> steps) {
        Layout[] layouts = new Layout[steps.size()];
        for (int s = 0; s < layouts.length; s++) {
            if (steps.get(s) instanceof NativeStep n) {
                layouts[s] = new Layout(n.segment);
            }
        }
        return layouts;
    }

    private int stepOfSegment(int segment) {
        for (int s = 0; s < steps.length; s++) {
            if (steps[s] instanceof NativeStep n && n.index == segment) {
                return s;
            }
        }
        throw new IllegalStateException("no segment " + segment);
    }

    Step[] steps() { return steps; }
    Layout[] layouts() { return layouts; }
    int slotCount() { return nslots; }
    int freeCount() { return nfree; }
    int[] outputSlots() { return outputSlots; }

    @Override
    public NDArray[] run(NDArray[] freeValues) {
        NDArray[] values = new NDArray[nslots];
        System.arraycopy(freeValues, 0, values, 0, nfree);
        State st = take();
        try {
            for (int s = 0; s < steps.length; s++) {
                switch (steps[s]) {
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
                    case NativeStep n -> runSegment(n, layouts[s], st, values, errorNodes);
                }
            }
        } finally {
            give(st);
        }
        NDArray[] outs = new NDArray[outputSlots.length];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = values[outputSlots[i]];
        }
        return outs;
    }

    /**
     * A state no other call in flight uses. The common case — one call at a time, or the
     * same thread calling again — takes the spare without allocating; concurrent and
     * re-entrant calls fall back to the pool, or to a new state.
     */
    private State take() {
        State st = spare.getAndSet(null);
        if (st == null) {
            st = pool.poll();
        }
        return st != null ? st : new State(steps, layouts);
    }

    private void give(State st) {
        if (!spare.compareAndSet(null, st)) {
            pool.offer(st);
        }
    }

    private static void runSegment(NativeStep step, Layout lay, State st, NDArray[] values, ErrorNodes errorNodes) {
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
            int ndim = a.ndim();
            table.set(JAVA_LONG, base, a.segment().address() + a.offset() * a.dtype().byteSize());
            table.set(JAVA_LONG, base + 8, ndim);
            table.set(JAVA_LONG, base + 16, j);
            for (int d = 0; d < ndim; d++) {
                table.set(JAVA_LONG, base + Prelude.SHAPE_OFFSET + 8L * d, a.dim(d));
                table.set(JAVA_LONG, base + Prelude.STRIDES_OFFSET + 8L * d, a.stride(d));
            }
        }
        int rc;
        // only a segment with a loop reads the flag (tsl_cancelled): the others skip the thread-local
        Cancellation cancel = lay.polls ? Cancellation.current() : null;
        if (lay.polls) {
            st.err.set(JAVA_LONG, Prelude.ERR_BYTES, cancel.address());
            cancel.watch();
        }
        try {
            rc = (int) step.entry.invokeExact(table.address(), st.bufs[step.index].address(), st.caps[step.index].address(),
                    st.err.address());
        } catch (Throwable t) {
            throw new IllegalStateException("native segment " + lay.functionName + " failed", t);
        } finally {
            if (lay.polls) {
                cancel.unwatch();
            }
            // their memory went to C as plain addresses
            java.lang.ref.Reference.reachabilityFence(st);
            java.lang.ref.Reference.reachabilityFence(inputs);
        }
        if (rc != 0) {
            String message = st.err.getString(0);
            if (cancel != null && message.startsWith(Prelude.CANCELLED)) {
                // the loop stopped and freed what it had allocated; nothing was exported, so no update is stored
                throw cancel.cancelled();
            }
            throw error(errorNodes.node(step.index, rc - 1), message);
        }
        // fresh buffers become Java's; one no export points into is freed at once
        MemorySegment[] owned = null;
        long[] ownedBase = null;
        for (int e = 0; e < lay.exportSlot.length; e++) {
            long base = lay.exportSlot[e] * Prelude.ARR_BYTES;
            long data = table.get(JAVA_LONG, base);
            int ndim = (int) table.get(JAVA_LONG, base + 8);
            int owner = (int) table.get(JAVA_LONG, base + 16);
            int[] shape = ndim == 0 ? NO_DIMS : new int[ndim];
            long[] strides = ndim == 0 ? NO_STRIDES : new long[ndim];
            for (int d = 0; d < ndim; d++) {
                shape[d] = Math.toIntExact(table.get(JAVA_LONG, base + Prelude.SHAPE_OFFSET + 8L * d));
                strides[d] = table.get(JAVA_LONG, base + Prelude.STRIDES_OFFSET + 8L * d);
            }
            MemorySegment memory;
            long memoryBase;
            if (owner < nin) {
                memory = inputs[owner].segment();
                memoryBase = memory.address();
            } else {
                if (owned == null) {
                    owned = new MemorySegment[lay.slotCount];
                    ownedBase = new long[lay.slotCount];
                }
                if (owned[owner] == null) {
                    ownedBase[owner] = table.get(JAVA_LONG, owner * Prelude.ARR_BYTES);
                    owned[owner] = adopt(table, owner, lay.slotDtype[owner]);
                }
                memory = owned[owner];
                memoryBase = ownedBase[owner];
            }
            DType dt = lay.exportDtype[e];
            long offset = (data - memoryBase) / dt.byteSize();
            values[step.exports[e]] = new NDArray(dt, shape, strides, offset, memory);
        }
        for (int k : lay.freshSlots) {
            long data = table.get(JAVA_LONG, k * Prelude.ARR_BYTES);
            boolean allocated = table.get(JAVA_LONG, k * Prelude.ARR_BYTES + 16) == k && data != 0;
            if (allocated && (owned == null || owned[k] == null)) {
                NativeLibraries.free(data);
            }
        }
    }

    /**
     * What {@link #runSegment} needs of a segment, looked up once at link time instead of per
     * call; plain values, so that the {@link ProgramCache} can store it.
     */
    static final class Layout {
        final String functionName;
        final int slotCount;
        final int reuseCount;
        final int[] exportSlot;
        final DType[] exportDtype;
        final DType[] slotDtype;   // of the computed slots; null for the segment's inputs
        final int[] freshSlots;
        /** Whether the segment runs a loop (a scan, maybe inside an ifelse), which polls the cancellation flag. */
        final boolean polls;

        Layout(String functionName, int slotCount, int reuseCount, int[] exportSlot, DType[] exportDtype, DType[] slotDtype,
               int[] freshSlots, boolean polls) {
            this.functionName = functionName;
            this.polls = polls;
            this.slotCount = slotCount;
            this.reuseCount = reuseCount;
            this.exportSlot = exportSlot;
            this.exportDtype = exportDtype;
            this.slotDtype = slotDtype;
            this.freshSlots = freshSlots;
        }

        Layout(Segment seg) {
            functionName = seg.functionName();
            reuseCount = seg.reuseCount();
            boolean loops = false;
            for (Apply a : seg.nodes) {
                loops |= a.op() instanceof Scan || a.op() instanceof IfElse;
            }
            polls = loops;
            slotCount = seg.slotCount();
            exportSlot = new int[seg.exports.size()];
            exportDtype = new DType[exportSlot.length];
            for (int e = 0; e < exportSlot.length; e++) {
                exportSlot[e] = seg.slot(seg.exports.get(e));
                exportDtype[e] = seg.exports.get(e).dtype();
            }
            slotDtype = new DType[slotCount];
            for (Variable v : seg.computed) {
                slotDtype[seg.slot(v)] = v.dtype();
            }
            List<Variable> fresh = seg.fresh();
            freshSlots = new int[fresh.size()];
            for (int i = 0; i < freshSlots.length; i++) {
                freshSlots[i] = seg.slot(fresh.get(i));
            }
        }
    }

    /**
     * The malloc'd buffer of slot {@code k} as Java memory: a segment that frees it once
     * unreachable, or for a tiny buffer a copy (the buffer is freed at once).
     */
    private static MemorySegment adopt(MemorySegment table, int k, DType dtype) {
        long base = k * Prelude.ARR_BYTES;
        long data = table.get(JAVA_LONG, base);
        long n = 1;
        int ndim = (int) table.get(JAVA_LONG, base + 8);
        for (int d = 0; d < ndim; d++) {
            n *= table.get(JAVA_LONG, base + Prelude.SHAPE_OFFSET + 8L * d);
        }
        long bytes = Math.max(1, n * dtype.byteSize());
        if (bytes <= SmallAllocations.MAX_BYTES) {
            // a scalar result: copying it out and freeing the buffer now is far cheaper than an arena with a cleaner
            MemorySegment small = SmallAllocations.allocate(bytes);
            MemorySegment.copy(ALL_MEMORY, data, small, 0, bytes);
            NativeLibraries.free(data);
            return small;
        }
        AdoptedMemory.adopted(bytes);
        return MemorySegment.ofAddress(data).reinterpret(bytes, Arena.ofAuto(), s -> {
            NativeLibraries.free(s.address());
            AdoptedMemory.freed(bytes);
        });
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

        State(Step[] steps, Layout[] layouts) {
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
            for (int i = 0; i < steps.length; i++) {
                if (steps[i] instanceof NativeStep ns) {
                    Layout lay = layouts[i];
                    tables[ns.index] = arena.allocate(Math.max(1, lay.slotCount) * Prelude.ARR_BYTES, 16);
                    bufs[ns.index] = arena.allocate(8L * Math.max(1, lay.reuseCount), 8);
                    caps[ns.index] = arena.allocate(8L * Math.max(1, lay.reuseCount), 8);
                }
            }
            err = arena.allocate(Prelude.ERR_AREA_BYTES, 8);
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
