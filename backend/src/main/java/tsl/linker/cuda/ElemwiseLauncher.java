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
 * Runs one Elemwise on device arrays already broadcast-checked to {@code shape}: picks each
 * input's access mode from its strides, generates (once per mode combination) and launches
 * the kernel into a new contiguous output.
 */
final class ElemwiseLauncher {
    static final int BLOCK = 256;

    private final Elemwise op;
    private final Map<String, CUfunction> kernels = new HashMap<>();

    ElemwiseLauncher(Elemwise op) {
        this.op = op;
    }

    DeviceArray run(CudaRun run, DeviceArray[] in, DType out, int[] shape) {
        DeviceArray result = run.alloc(out, shape);
        long n = result.size();
        if (n == 0) {
            return result;
        }
        int ndim = shape.length;
        long[] outStrides = ignoreUnitDims(result.strides(), shape);
        ElemwiseKernel.Access[] access = new ElemwiseKernel.Access[in.length];
        long[][] strides = new long[in.length][];
        DType[] dtypes = new DType[in.length];
        for (int i = 0; i < in.length; i++) {
            DeviceArray a = in[i];
            dtypes[i] = a.dtype();
            strides[i] = ignoreUnitDims(broadcastStrides(a, shape), shape);
            if (a.size() == 1) {
                access[i] = ElemwiseKernel.Access.SCALAR;
            } else if (Arrays.equals(strides[i], outStrides)) {
                access[i] = ElemwiseKernel.Access.FULL;
            } else {
                access[i] = ElemwiseKernel.Access.STRIDED;
            }
        }
        String key = Arrays.toString(dtypes) + out + ndim + Arrays.toString(access);
        CUfunction f = kernels.get(key);
        if (f == null) {
            f = run.device.function(ElemwiseKernel.source(op, dtypes, out, ndim, access), ElemwiseKernel.ENTRY);
            kernels.put(key, f);
        }
        boolean anyStrided = Arrays.asList(access).contains(ElemwiseKernel.Access.STRIDED);
        List<Pointer> params = new ArrayList<>();
        params.add(Pointer.to(new long[] {n}));
        if (anyStrided) {
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
        params.add(result.arg());
        run.device.launch(f, run.device.gridFor(n, BLOCK), BLOCK, 0, params.toArray(new Pointer[0]));
        return result;
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
