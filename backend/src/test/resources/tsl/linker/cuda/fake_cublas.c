/* A stand-in for libcublas with cuBLAS's C signatures, computing on host memory: tests the FFM
   binding and the row-major/column-major argument plan on machines without CUDA. */
static int handle_marker;
int cublasCreate_v2(void **handle) { *handle = &handle_marker; return 0; }
#define GEMM(name, T) \
int name(void *h, int ta, int tb, int m, int n, int k, const T *alpha, const T *A, int lda, \
         const T *B, int ldb, const T *beta, T *C, int ldc) { \
    if (h != &handle_marker) return 7; \
    for (int j = 0; j < n; j++) for (int i = 0; i < m; i++) { \
        T s = 0; \
        for (int p = 0; p < k; p++) { \
            T a = ta ? A[p + i * lda] : A[i + p * lda]; \
            T b = tb ? B[j + p * ldb] : B[p + j * ldb]; \
            s += a * b; \
        } \
        C[i + j * ldc] = *alpha * s + *beta * C[i + j * ldc]; \
    } \
    return 0; \
}
GEMM(cublasSgemm_v2, float)
GEMM(cublasDgemm_v2, double)
