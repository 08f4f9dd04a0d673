package tsl.linker.c;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import tsl.graph.Constant;
import tsl.graph.TensorType;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Everything a {@link NativeProgram} made only of native segments needs, as plain values: the
 * kernel library's cache key, the value slots, each segment's layout, and where each free value
 * comes from — a variable of the un-optimized graph (by its number in the graph key's canonical
 * form) or a constant the rewrites made (stored with its value). Written by the
 * {@link ProgramCache}; read back, it rebuilds the program without rewriting or generating code.
 */
final class ProgramDescription {
    /** Where a free value of the optimized graph comes from. */
    sealed interface Free permits Leaf, NewConstant {}

    /** The {@code index}-th variable without an owner of the un-optimized graph's canonical form. */
    record Leaf(int index) implements Free {}

    /** A constant the rewrites created (constant folding, shape constants). */
    record NewConstant(Constant constant) implements Free {}

    /** One native segment of the program. */
    record SegmentStep(int index, int[] in, int[] exports, NativeProgram.Layout layout) {}

    final String kernelKey;
    final boolean threads;
    final boolean blas;
    final int nslots;
    final int nfree;
    final int[] outputSlots;
    final List<SegmentStep> steps;
    final List<Free> free;

    ProgramDescription(String kernelKey, boolean threads, boolean blas, int nslots, int nfree, int[] outputSlots,
                       List<SegmentStep> steps, List<Free> free) {
        this.kernelKey = kernelKey;
        this.threads = threads;
        this.blas = blas;
        this.nslots = nslots;
        this.nfree = nfree;
        this.outputSlots = outputSlots;
        this.steps = List.copyOf(steps);
        this.free = free;
    }

    /** The same description with the free values' origins filled in. */
    ProgramDescription withFree(List<Free> f) {
        return new ProgramDescription(kernelKey, threads, blas, nslots, nfree, outputSlots, steps, List.copyOf(f));
    }

    byte[] toBytes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.writeUTF(kernelKey);
            out.writeBoolean(threads);
            out.writeBoolean(blas);
            out.writeInt(nslots);
            out.writeInt(nfree);
            ints(out, outputSlots);
            out.writeInt(steps.size());
            for (SegmentStep s : steps) {
                out.writeInt(s.index());
                ints(out, s.in());
                ints(out, s.exports());
                NativeProgram.Layout l = s.layout();
                out.writeUTF(l.functionName);
                out.writeInt(l.slotCount);
                out.writeInt(l.reuseCount);
                ints(out, l.exportSlot);
                dtypes(out, l.exportDtype);
                dtypes(out, l.slotDtype);
                ints(out, l.freshSlots);
                out.writeBoolean(l.polls);
            }
            out.writeInt(free.size());
            for (Free f : free) {
                switch (f) {
                    case Leaf leaf -> {
                        out.writeByte('L');
                        out.writeInt(leaf.index());
                    }
                    case NewConstant c -> {
                        out.writeByte('C');
                        constant(out, c.constant());
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory: cannot fail
        }
        return b.toByteArray();
    }

    /** Reads what {@link #toBytes} wrote; an IOException (or IllegalArgumentException) for anything else. */
    static ProgramDescription fromBytes(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        String key = in.readUTF();
        boolean threads = in.readBoolean();
        boolean blas = in.readBoolean();
        int nslots = in.readInt();
        int nfree = in.readInt();
        int[] outs = ints(in);
        int n = count(in);
        List<SegmentStep> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = in.readInt();
            int[] ins = ints(in);
            int[] ex = ints(in);
            String fn = in.readUTF();
            int slotCount = in.readInt();
            int reuse = in.readInt();
            int[] exportSlot = ints(in);
            DType[] exportDtype = dtypes(in);
            DType[] slotDtype = dtypes(in);
            int[] fresh = ints(in);
            boolean polls = in.readBoolean();
            steps.add(new SegmentStep(index, ins, ex, new NativeProgram.Layout(fn, slotCount, reuse, exportSlot, exportDtype, slotDtype, fresh,
                    polls)));
        }
        int nf = count(in);
        List<Free> free = new ArrayList<>();
        for (int i = 0; i < nf; i++) {
            int kind = in.readByte();
            switch (kind) {
                case 'L' -> free.add(new Leaf(in.readInt()));
                case 'C' -> free.add(new NewConstant(constant(in)));
                default -> throw new IOException("bad free value kind " + kind);
            }
        }
        if (in.available() != 0) {
            throw new IOException("trailing bytes");
        }
        return new ProgramDescription(key, threads, blas, nslots, nfree, outs, steps, free);
    }

    private static void constant(DataOutputStream out, Constant c) throws IOException {
        out.writeBoolean(c.name() != null);
        if (c.name() != null) {
            out.writeUTF(c.name());
        }
        out.writeUTF(c.type().dtype().toString());
        ints(out, c.type().shape());
        NDArray v = c.value().isContiguous() ? c.value() : c.value().contiguous();
        out.writeUTF(v.dtype().toString());
        ints(out, v.shape());
        long n = v.size() * v.dtype().byteSize();
        byte[] data = v.segment().asSlice(v.offset() * v.dtype().byteSize(), n).toArray(ValueLayout.JAVA_BYTE);
        out.writeInt(data.length);
        out.write(data);
    }

    private static Constant constant(DataInputStream in) throws IOException {
        String name = in.readBoolean() ? in.readUTF() : null;
        TensorType type = new TensorType(DType.lookup(in.readUTF()), ints(in));
        DType dt = DType.lookup(in.readUTF());
        int[] shape = ints(in);
        int n = count(in);
        if (n != NDArray.sizeOf(shape) * dt.byteSize()) {
            throw new IOException("constant of " + n + " bytes for shape " + java.util.Arrays.toString(shape));
        }
        byte[] data = in.readNBytes(n);
        if (data.length != n) {
            throw new IOException("truncated constant");
        }
        // native memory: the segments read it in place (a heap array would be copied on every call)
        MemorySegment mem = Arena.ofAuto().allocate(Math.max(1, n), 16);
        MemorySegment.copy(data, 0, mem, ValueLayout.JAVA_BYTE, 0, n);
        NDArray value = new NDArray(dt, shape, NDArray.contiguousStrides(shape), 0, mem);
        return new Constant(type, value, name);
    }

    private static void ints(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int x : a) {
            out.writeInt(x);
        }
    }

    private static int[] ints(DataInputStream in) throws IOException {
        int[] a = new int[count(in)];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    private static void dtypes(DataOutputStream out, DType[] a) throws IOException {
        out.writeInt(a.length);
        for (DType d : a) {
            out.writeUTF(d == null ? "" : d.toString());
        }
    }

    private static DType[] dtypes(DataInputStream in) throws IOException {
        DType[] a = new DType[count(in)];
        for (int i = 0; i < a.length; i++) {
            String s = in.readUTF();
            a[i] = s.isEmpty() ? null : DType.lookup(s);
        }
        return a;
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad length " + n);
        }
        return n;
    }
}
