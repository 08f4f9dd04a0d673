package tsl.linker.cuda;

import tsl.ops.reduce.Reduce;
import tsl.tensor.DType;

/**
 * CUDA C for {@link Reduce} (sum, prod, mean, max, min, all, any over any axes). Two kernels
 * in one module: {@code tsl_reduce} gives each (output element, chunk) pair one block that
 * reduces its share of the reduced elements in shared memory and writes a partial result;
 * {@code tsl_reduce_finish} combines each output's partials. Splitting into chunks keeps the
 * whole GPU busy when there are few outputs (a full sum of 10^8 elements); with many outputs
 * there is one chunk. Floats accumulate in double and integers in 64 bits, as the jvm
 * reference does. Dimensions are collapsed on the host first, so the common cases (a
 * contiguous full reduction, a row sum) need no index division at all.
 */
final class ReduceKernel {
    static final String ENTRY = "tsl_reduce";
    static final String FINISH = "tsl_reduce_finish";
    static final int BLOCK = 256;

    private ReduceKernel() {}

    static DType accumulator(Reduce.Kind kind, DType in, DType out) {
        return switch (kind) {
            case ALL, ANY -> DType.INT64;
            case MEAN -> DType.FLOAT64;
            default -> in.isFloat() || out.isFloat() ? DType.FLOAT64 : DType.INT64;
        };
    }

    private static String init(Reduce.Kind kind, DType acc) {
        boolean f = acc.isFloat();
        return switch (kind) {
            case SUM, MEAN, ANY -> "0";
            case PROD, ALL -> "1";
            case MAX -> f ? "(-__longlong_as_double(0x7ff0000000000000LL))" : "(-9223372036854775807LL - 1)";
            case MIN -> f ? "__longlong_as_double(0x7ff0000000000000LL)" : "9223372036854775807LL";
        };
    }

    private static String combine(Reduce.Kind kind, String a, String b) {
        return switch (kind) {
            case SUM, MEAN -> "(" + a + " + " + b + ")";
            case PROD -> "(" + a + " * " + b + ")";
            case MAX -> "tsl_max(" + a + ", " + b + ")";
            case MIN -> "tsl_min(" + a + ", " + b + ")";
            case ALL -> "(tsl_acc) (" + a + " && " + b + ")";
            case ANY -> "(tsl_acc) (" + a + " || " + b + ")";
        };
    }

    /** @param kept number of (collapsed) kept dimensions; {@code reduced} likewise */
    static String source(Reduce.Kind kind, DType in, DType out, int kept, int reduced) {
        DType acc = accumulator(kind, in, out);
        String at = CudaC.type(acc);
        String load = switch (kind) {
            case ALL, ANY -> "(tsl_acc) (x[off] != 0)";
            default -> "(tsl_acc) x[off]";
        };
        StringBuilder s = new StringBuilder(CudaC.PRELUDE);
        s.append("// reduce ").append(kind).append(' ').append(in).append(" -> ").append(out).append('\n');
        s.append("typedef ").append(at).append(" tsl_acc;\n");
        s.append("extern \"C\" __global__ void ").append(ENTRY).append("(long long nOut, long long nRed, int chunks");
        for (int d = 0; d < kept; d++) {
            s.append(", long long k").append(d).append(", long long ks").append(d);
        }
        for (int d = 0; d < reduced; d++) {
            s.append(", long long r").append(d).append(", long long rs").append(d);
        }
        s.append(", const ").append(CudaC.type(in)).append("* __restrict__ x, tsl_acc* __restrict__ partial) {\n");
        s.append("  __shared__ tsl_acc sm[").append(BLOCK).append("];\n");
        s.append("  for (long long b = blockIdx.x; b < nOut * chunks; b += gridDim.x) {\n");
        s.append("    long long o = b / chunks; long long ch = b % chunks;\n");
        s.append("    long long base = 0, t = o;\n");
        for (int d = kept - 1; d >= 0; d--) {
            s.append("    base += (t % k").append(d).append(") * ks").append(d).append("; t /= k").append(d).append(";\n");
        }
        s.append("    tsl_acc acc = ").append(init(kind, acc)).append(";\n");
        s.append("    for (long long j = ch * blockDim.x + threadIdx.x; j < nRed; j += (long long) chunks * blockDim.x) {\n");
        if (reduced == 1) {
            s.append("      long long off = base + j * rs0;\n");
        } else {
            s.append("      long long off = base, u = j;\n");
            for (int d = reduced - 1; d >= 0; d--) {
                s.append("      off += (u % r").append(d).append(") * rs").append(d).append("; u /= r").append(d).append(";\n");
            }
        }
        s.append("      acc = ").append(combine(kind, "acc", load)).append(";\n");
        s.append("    }\n");
        s.append("    sm[threadIdx.x] = acc;\n    __syncthreads();\n");
        s.append("    for (int h = blockDim.x / 2; h > 0; h >>= 1) {\n");
        s.append("      if (threadIdx.x < h) sm[threadIdx.x] = ").append(combine(kind, "sm[threadIdx.x]", "sm[threadIdx.x + h]")).append(";\n");
        s.append("      __syncthreads();\n    }\n");
        s.append("    if (threadIdx.x == 0) partial[b] = sm[0];\n    __syncthreads();\n  }\n}\n");
        String result = kind == Reduce.Kind.MEAN ? "(count == 0 ? __longlong_as_double(0x7ff8000000000000LL) : acc / (double) count)" : "acc";
        s.append("extern \"C\" __global__ void ").append(FINISH).append("(long long nOut, int chunks, long long count,")
                .append(" const tsl_acc* __restrict__ partial, ").append(CudaC.type(out)).append("* __restrict__ out) {\n");
        s.append("  for (long long o = (long long) blockIdx.x * blockDim.x + threadIdx.x; o < nOut; o += (long long) blockDim.x * gridDim.x) {\n");
        s.append("    tsl_acc acc = ").append(init(kind, acc)).append(";\n");
        s.append("    for (int c = 0; c < chunks; c++) acc = ").append(combine(kind, "acc", "partial[o * chunks + c]")).append(";\n");
        s.append("    out[o] = ").append(CudaC.convert(result, out)).append(";\n  }\n}\n");
        return s.toString();
    }
}
