package tsl.linker.cuda;

import tsl.tensor.DType;

/**
 * CUDA C for a matrix product C = A·B when cuBLAS is not available: 128×128 output tiles per
 * block of 256 threads, each thread accumulating an 8×8 register tile from 8-deep slices of A
 * and B staged in shared memory. A and B are read through their strides, so transposed views
 * (as gradients produce) need no copy; C is contiguous.
 */
final class GemmKernel {
    static final String ENTRY = "tsl_gemm";
    static final int TILE = 128;
    static final int THREADS = 256;

    private GemmKernel() {}

    static String source(DType dtype) {
        String t = CudaC.type(dtype);
        return "// gemm " + dtype + "\ntypedef " + t + " T;\n" + """
                #define BM 128
                #define BN 128
                #define BK 8
                extern "C" __global__ void __launch_bounds__(256) tsl_gemm(int M, int N, int K,
                    const T* __restrict__ A, long long sa0, long long sa1,
                    const T* __restrict__ B, long long sb0, long long sb1, T* __restrict__ C) {
                  __shared__ T As[BK][BM];
                  __shared__ T Bs[BK][BN];
                  int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
                  int row0 = blockIdx.y * BM, col0 = blockIdx.x * BN;
                  T acc[8][8];
                  #pragma unroll
                  for (int i = 0; i < 8; i++)
                    #pragma unroll
                    for (int j = 0; j < 8; j++) acc[i][j] = 0;
                  for (int k0 = 0; k0 < K; k0 += BK) {
                    #pragma unroll
                    for (int l = 0; l < 4; l++) {
                      int e = tid + l * 256;
                      int m = e / BK, k = e % BK, gm = row0 + m, gk = k0 + k;
                      As[k][m] = (gm < M && gk < K) ? A[gm * sa0 + gk * sa1] : (T) 0;
                      int k2 = e / BN, n = e % BN, gk2 = k0 + k2, gn = col0 + n;
                      Bs[k2][n] = (gk2 < K && gn < N) ? B[gk2 * sb0 + gn * sb1] : (T) 0;
                    }
                    __syncthreads();
                    #pragma unroll
                    for (int k = 0; k < BK; k++) {
                      T a[8], b[8];
                      #pragma unroll
                      for (int i = 0; i < 8; i++) a[i] = As[k][ty * 8 + i];
                      #pragma unroll
                      for (int j = 0; j < 8; j++) b[j] = Bs[k][tx + j * 16];
                      #pragma unroll
                      for (int i = 0; i < 8; i++)
                        #pragma unroll
                        for (int j = 0; j < 8; j++) acc[i][j] += a[i] * b[j];
                    }
                    __syncthreads();
                  }
                  #pragma unroll
                  for (int i = 0; i < 8; i++) {
                    int gm = row0 + ty * 8 + i;
                    #pragma unroll
                    for (int j = 0; j < 8; j++) {
                      int gn = col0 + tx + j * 16;
                      if (gm < M && gn < N) C[(long long) gm * N + gn] = acc[i][j];
                    }
                  }
                }
                """;
    }
}
