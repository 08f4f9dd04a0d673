package tsl.linker.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import tsl.ops.elemwise.Elemwise;
import tsl.tensor.DType;

/**
 * Runs an elementwise loop on device arrays already broadcast-checked to {@code shape}: picks
 * each input's access mode from its strides and the kernel variant from the access modes and
 * the pointers' alignment ({@link #choose}), generates the kernel once per combination, and
 * launches it into new contiguous outputs.
 */
final class ElemwiseLauncher {
    /** Threads per block. Settable for CudaBench's grid-shape comparison. */
    static volatile int block = 256;
    /**
     * Grid-stride loops are launched with at most this many waves of resident blocks
     * (0 = one thread per item, no cap). Settable for CudaBench's comparison. No cap is the
     * default: on an H200 (2026-11-27, add on 1e8 float32, vector4 kernel, 256 threads) one
     * thread per item reached 3873 GB/s against 3628 with a cap of 4 waves and 3600 with 8.
     */
    static volatile int waves = 0;

    /** The kernel variant picked for one launch: its variant and vector width. */
    record Choice(ElemwiseKernel.Variant variant, int vec) {
        @Override
        public String toString() {
            return vec > 1 ? variant.name().toLowerCase() + vec : variant.name().toLowerCase();
        }
    }

    private final Elemwise op;
    private final Map<String, CUfunction> kernels = new HashMap<>();
    private volatile Choice last;

    ElemwiseLauncher(Elemwise op) {
        this.op = op;
    }

    /** The variant of the latest launch (for benchmarks and tests), or null before the first. */
    Choice lastChoice() {
        return last;
    }

    /** One Elemwise node into a new array of dtype {@code out}. */
    DeviceArray run(CudaRun run, DeviceArray[] in, DType out, int[] shape) {
        DType[] dtypes = new DType[in.length];
        for (int i = 0; i < in.length; i++) {
            dtypes[i] = in[i].dtype();
        }
        return launch(run, new ElemwiseKernel.ElemwiseCode(op, dtypes, out), in, shape)[0];
    }

    /** The loop {@code code} over inputs {@code in} into new arrays of {@code shape}, one per output of the code. */
    DeviceArray[] launch(CudaRun run, ElemwiseKernel.Code code, DeviceArray[] in, int[] shape) {
        DType[] outTypes = code.outputs();
        DeviceArray[] results = new DeviceArray[outTypes.length];
        for (int o = 0; o < results.length; o++) {
            results[o] = run.alloc(outTypes[o], shape);
        }
        long n = results[0].size();
        if (n == 0) {
            return results;
        }
        int ndim = shape.length;
        long[] outStrides = ignoreUnitDims(results[0].strides(), shape);
        ElemwiseKernel.Access[] access = new ElemwiseKernel.Access[in.length];
        long[][] strides = new long[in.length][];
        DType[] dtypes = new DType[in.length];
        long[] inAddresses = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            DeviceArray a = in[i];
            dtypes[i] = a.dtype();
            inAddresses[i] = a.address();
            strides[i] = ignoreUnitDims(broadcastStrides(a, shape), shape);
            if (a.size() == 1) {
                access[i] = ElemwiseKernel.Access.SCALAR;
            } else if (Arrays.equals(strides[i], outStrides)) {
                access[i] = ElemwiseKernel.Access.FULL;
            } else {
                access[i] = ElemwiseKernel.Access.STRIDED;
            }
        }
        long[] outAddresses = new long[results.length];
        for (int o = 0; o < results.length; o++) {
            outAddresses[o] = results[o].address();
        }
        Choice choice = choose(dtypes, access, inAddresses, outTypes, outAddresses, n);
        String key = Arrays.toString(dtypes) + Arrays.toString(outTypes) + ndim + Arrays.toString(access) + choice;
        CUfunction f = kernels.get(key);
        if (f == null) {
            f = run.device.function(ElemwiseKernel.source(code, dtypes, ndim, access, choice.variant(), choice.vec()), ElemwiseKernel.ENTRY);
            kernels.put(key, f);
        }
        List<Pointer> params = new ArrayList<>();
        params.add(Pointer.to(new long[] {n}));
        if (choice.variant() == ElemwiseKernel.Variant.STRIDED) {
            for (int d = 0; d < ndim; d++) {
                params.add(Pointer.to(new long[] {shape[d]}));
            }
        }
        for (int i = 0; i < in.length; i++) {
            params.add(in[i].arg());
            if (access[i] == ElemwiseKernel.Access.STRIDED) {
                for (int d = 0; d < ndim; d++) {
                    params.add(Pointer.to(new long[] {strides[i][d]}));
                }
            }
        }
        for (DeviceArray r : results) {
            params.add(r.arg());
        }
        int threads = block;
        long items = choice.variant() == ElemwiseKernel.Variant.VECTOR ? Math.max(1, n / choice.vec()) : n;
        run.device.launch(f, gridFor(items, threads, run.device.residentBlocks(threads), waves), threads, 0, params.toArray(new Pointer[0]));
        last = choice;
        return results;
    }

    /**
     * The kernel for one launch: STRIDED when an input needs its strides; else VECTOR when
     * there are at least {@code vec} elements and every array read or written element by
     * element starts at an address aligned to its vector ({@code vec} elements; device
     * allocations are, views with an offset may not be); else CONTIGUOUS.
     */
    static Choice choose(DType[] in, ElemwiseKernel.Access[] access, long[] inAddresses, DType[] outs, long[] outAddresses, long n) {
        ElemwiseKernel.Variant plain = ElemwiseKernel.plainVariant(access);
        if (plain == ElemwiseKernel.Variant.STRIDED) {
            return new Choice(plain, 1);
        }
        int vec = ElemwiseKernel.vectorWidth(in, access, outs);
        if (vec < 2 || n < vec) {
            return new Choice(plain, 1);
        }
        for (int i = 0; i < in.length; i++) {
            if (access[i] == ElemwiseKernel.Access.FULL && inAddresses[i] % ((long) vec * in[i].byteSize()) != 0) {
                return new Choice(plain, 1);
            }
        }
        for (int o = 0; o < outs.length; o++) {
            if (outAddresses[o] % ((long) vec * outs[o].byteSize()) != 0) {
                return new Choice(plain, 1);
            }
        }
        return new Choice(ElemwiseKernel.Variant.VECTOR, vec);
    }

    /**
     * Blocks for {@code items} work items of a grid-stride loop: one per item up to
     * {@code waves} times the blocks the device holds at once ({@code waves} 0: no cap).
     */
    static int gridFor(long items, int threads, int residentBlocks, int waves) {
        long blocks = (items + threads - 1) / threads;
        if (waves > 0) {
            blocks = Math.min(blocks, (long) residentBlocks * waves);
        }
        return (int) Math.max(1, Math.min(blocks, Integer.MAX_VALUE));
    }

    /** A stride along a dimension of length 1 is never used: zero it so such views still count as contiguous. */
    private static long[] ignoreUnitDims(long[] strides, int[] shape) {
        long[] s = strides.clone();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                s[d] = 0;
            }
        }
        return s;
    }

    /** The input's strides over the output shape: 0 along dimensions it broadcasts. */
    static long[] broadcastStrides(DeviceArray a, int[] shape) {
        long[] s = new long[shape.length];
        for (int d = 0; d < shape.length; d++) {
            s[d] = a.shape()[d] == 1 && shape[d] != 1 ? 0 : a.strides()[d];
        }
        return s;
    }
}
