package tsl.linker.cuda;

import tsl.tensor.DType;

/**
 * CUDA C for {@link tsl.ops.nnet.Softmax} over the last axis of a contiguous input: one block
 * per row computes the row maximum, the sum of exponentials and the outputs, subtracting the
 * maximum first as the jvm reference does (so large inputs neither overflow nor give NaN).
 */
final class SoftmaxKernel {
    static final String ENTRY = "tsl_softmax";
    static final int BLOCK = 256;

    private SoftmaxKernel() {}

    static String source(DType dtype, boolean log) {
        String t = CudaC.type(dtype);
        StringBuilder s = new StringBuilder(CudaC.PRELUDE);
        s.append("// ").append(log ? "log_softmax " : "softmax ").append(dtype).append('\n');
        s.append("typedef ").append(t).append(" T;\n");
        s.append("""
                extern "C" __global__ void tsl_softmax(long long rows, long long n, const T* __restrict__ x, T* __restrict__ y) {
                  __shared__ T sm[%d];
                  for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
                    const T* xr = x + r * n;
                    T* yr = y + r * n;
                    T m = (T) (-__longlong_as_double(0x7ff0000000000000LL));
                    for (long long j = threadIdx.x; j < n; j += blockDim.x) m = tsl_max(m, xr[j]);
                    sm[threadIdx.x] = m;
                    __syncthreads();
                    for (int h = blockDim.x / 2; h > 0; h >>= 1) {
                      if (threadIdx.x < h) sm[threadIdx.x] = tsl_max(sm[threadIdx.x], sm[threadIdx.x + h]);
                      __syncthreads();
                    }
                    m = sm[0];
                    if (isinf(m)) m = 0;
                    __syncthreads();
                    T sum = 0;
                    for (long long j = threadIdx.x; j < n; j += blockDim.x) sum += exp(xr[j] - m);
                    sm[threadIdx.x] = sum;
                    __syncthreads();
                    for (int h = blockDim.x / 2; h > 0; h >>= 1) {
                      if (threadIdx.x < h) sm[threadIdx.x] += sm[threadIdx.x + h];
                      __syncthreads();
                    }
                    sum = sm[0];
                    __syncthreads();
                """.formatted(BLOCK));
        if (log) {
            s.append("    T ls = log(sum);\n");
            s.append("    for (long long j = threadIdx.x; j < n; j += blockDim.x) yr[j] = (xr[j] - m) - ls;\n");
        } else {
            s.append("    for (long long j = threadIdx.x; j < n; j += blockDim.x) yr[j] = exp(xr[j] - m) / sum;\n");
        }
        s.append("  }\n}\n");
        return s.toString();
    }
}
