package tsl.linker.c;

import java.util.List;

import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;

/** The C that every translation unit starts with: the array descriptor and small helpers. */
final class Prelude {
    /** Most dimensions a natively compiled variable may have; nodes with more run in Java. */
    static final int MAXDIM = 16;
    /** Bytes of one tsl_arr: data, ndim, owner, then shape and strides. */
    static final long ARR_BYTES = 24 + 16L * MAXDIM;
    static final long SHAPE_OFFSET = 24;
    static final long STRIDES_OFFSET = 24 + 8L * MAXDIM;
    static final int ERR_BYTES = 1024;
    /** The error area: the message, then the address of the cancellation flag ({@code tsl_cancelled}). */
    static final int ERR_AREA_BYTES = ERR_BYTES + 8;
    /** What a loop's error message starts with when it stopped because the call was cancelled. */
    static final String CANCELLED = "KeyboardInterrupt: ";

    private Prelude() {}

    static String cType(DType d) {
        return switch (d) {
            case BOOL, UINT8 -> "uint8_t";
            case INT8 -> "int8_t";
            case INT16 -> "int16_t";
            case INT32 -> "int32_t";
            case INT64 -> "int64_t";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
        };
    }

    static final String TEXT = """
            #include <stdint.h>
            #include <stdlib.h>
            #include <string.h>
            #include <stdio.h>
            #include <math.h>
            #include <sys/mman.h>
            #define TSL_MAXD %d
            #define TSL_ERRLEN %d
            /* shape and strides in elements; owner: the table slot whose memory data points into */
            typedef struct { char* data; int64_t ndim; int64_t owner; int64_t shape[TSL_MAXD]; int64_t strides[TSL_MAXD]; } tsl_arr;

            static int64_t tsl_size(const tsl_arr* a) {
                int64_t n = 1;
                for (int i = 0; i < a->ndim; i++) n *= a->shape[i];
                return n;
            }
            static void tsl_set_contiguous(tsl_arr* a) {
                int64_t s = 1;
                for (int i = (int) a->ndim - 1; i >= 0; i--) { a->strides[i] = s; s *= a->shape[i] > 1 ? a->shape[i] : 1; }
            }
            /* C-contiguous, as NDArray.isContiguous: strides of length-1 dimensions do not matter */
            static int tsl_is_contiguous(const tsl_arr* a) {
                int64_t s = 1;
                if (tsl_size(a) <= 1) return 1;
                for (int i = (int) a->ndim - 1; i >= 0; i--) {
                    if (a->shape[i] != 1 && a->strides[i] != s) return 0;
                    s *= a->shape[i];
                }
                return 1;
            }
            /* Python's tuple syntax, as Shapes.format: (), (3,), (2, 3) */
            static const char* tsl_shape(const tsl_arr* a, char* buf, size_t n) {
                size_t k = 0;
                k += snprintf(buf + k, n - k, "(");
                for (int i = 0; i < a->ndim && k < n; i++) k += snprintf(buf + k, n - k, i ? ", %%lld" : "%%lld", (long long) a->shape[i]);
                if (k < n) snprintf(buf + k, n - k, a->ndim == 1 ? ",)" : ")");
                return buf;
            }
            /* a buffer kept from call to call, grown when a call needs more */
            static int tsl_alloc_reuse(tsl_arr* a, void** buf, int64_t* cap, int64_t itemsize) {
                int64_t bytes = tsl_size(a) * itemsize;
                if (bytes < 1) bytes = 1;
                if (*cap < bytes) {
                    free(*buf);
                    *buf = malloc(bytes);
                    *cap = *buf ? bytes : 0;
                    if (!*buf) return 1;
                }
                a->data = (char*) *buf;
                tsl_set_contiguous(a);
                return 0;
            }
            /* a buffer handed to Java, which frees it when the array is unreachable */
            /* malloc, but a block of 2 MiB and up is asked to be backed by huge pages: glibc maps such
               blocks afresh on every call, and faulting in 4 KiB pages one by one cost about a fifth of
               a 10^7-element elementwise loop. The block is rounded up to whole huge pages, because a
               partly covered 2 MiB page at the end is still faulted in 4 KiB at a time: the MLP step's
               new 784x500 weights (3 MiB) took 1.7 ms to fault in and copy that way, 0.65 ms so.
               free() releases it as usual */
            static void* tsl_malloc(int64_t bytes) {
                const int64_t huge = (int64_t) 2 << 20;
                if (bytes < huge) return malloc(bytes);
                void* p = NULL;
                const size_t whole = (size_t) ((bytes + huge - 1) / huge * huge);
                if (posix_memalign(&p, (size_t) huge, whole)) return NULL;
            #ifdef MADV_HUGEPAGE
                madvise(p, whole, MADV_HUGEPAGE);
            #endif
                return p;
            }
            static int tsl_alloc_fresh(tsl_arr* a, int64_t itemsize) {
                int64_t bytes = tsl_size(a) * itemsize;
                if (bytes < 1) bytes = 1;
                a->data = (char*) tsl_malloc(bytes);
                tsl_set_contiguous(a);
                return a->data == NULL;
            }
            /* copies any strided array into contiguous memory, element by element */
            static void tsl_copy_contiguous(const tsl_arr* a, char* dst, int64_t itemsize) {
                int64_t n = tsl_size(a), idx[TSL_MAXD] = {0};
                for (int64_t k = 0; k < n; k++) {
                    int64_t off = 0;
                    for (int d = 0; d < a->ndim; d++) off += idx[d] * a->strides[d];
                    memcpy(dst + k * itemsize, a->data + off * itemsize, itemsize);
                    for (int d = (int) a->ndim - 1; d >= 0; d--) { if (++idx[d] < a->shape[d]) break; idx[d] = 0; }
                }
            }
            /* a contiguous copy of x broadcast to o's shape (the same ndim): what a flat elementwise loop reads */
            static char* tsl_gather(const tsl_arr* x, const tsl_arr* o, int64_t itemsize) {
                const int64_t n = tsl_size(o);
                const int nd = (int) o->ndim;
                int64_t idx[TSL_MAXD] = {0}, st[TSL_MAXD];
                char* dst = (char*) malloc((n > 0 ? n : 1) * itemsize);
                if (!dst || n == 0) return dst;
                if (nd == 0) { memcpy(dst, x->data, itemsize); return dst; }
                for (int d = 0; d < nd; d++) st[d] = x->shape[d] == 1 ? 0 : x->strides[d];
                const int64_t inner = o->shape[nd - 1], sin = st[nd - 1];
                for (int64_t r = 0; r < n / inner; r++) {
                    int64_t off = 0;
                    for (int d = 0; d < nd - 1; d++) off += idx[d] * st[d];
                    char* out = dst + r * inner * itemsize;
                    const char* in = x->data + off * itemsize;
                    switch (itemsize) {
                    case 8: for (int64_t j = 0; j < inner; j++) memcpy(out + 8 * j, in + 8 * j * sin, 8); break;
                    case 4: for (int64_t j = 0; j < inner; j++) memcpy(out + 4 * j, in + 4 * j * sin, 4); break;
                    case 2: for (int64_t j = 0; j < inner; j++) memcpy(out + 2 * j, in + 2 * j * sin, 2); break;
                    default: for (int64_t j = 0; j < inner; j++) out[j] = in[j * sin]; break;
                    }
                    for (int d = nd - 2; d >= 0; d--) { if (++idx[d] < o->shape[d]) break; idx[d] = 0; }
                }
                return dst;
            }
            /* Python's slice(start, stop, step).indices(n) and the slice's length (SliceMath in Java);
               has_start/has_stop 0 means None; the caller has rejected a zero step */
            static void tsl_slice(int has_start, int64_t start, int has_stop, int64_t stop, int64_t step, int64_t n,
                                  int64_t* lo, int64_t* len) {
                int64_t a, b;
                if (step > 0) {
                    a = !has_start ? 0 : start < 0 ? start + n : start; a = a < 0 ? 0 : a > n ? n : a;
                    b = !has_stop ? n : stop < 0 ? stop + n : stop; b = b < 0 ? 0 : b > n ? n : b;
                    *len = b > a ? (b - a + step - 1) / step : 0;
                } else {
                    a = !has_start ? n - 1 : start < 0 ? start + n : start; a = a < -1 ? -1 : a > n - 1 ? n - 1 : a;
                    b = !has_stop ? -1 : stop < 0 ? stop + n : stop; b = b < -1 ? -1 : b > n - 1 ? n - 1 : b;
                    *len = a > b ? (a - b - step - 1) / -step : 0;
                }
                *lo = a;
            }
            /* Philox4x32-10, as tsl.ops.random.Philox: block (lo, hi) of the stream under key */
            static inline void tsl_philox(uint64_t key, uint64_t lo, uint64_t hi, uint32_t w[4]) {
                uint32_t c0 = (uint32_t) lo, c1 = (uint32_t) (lo >> 32), c2 = (uint32_t) hi, c3 = (uint32_t) (hi >> 32);
                uint32_t k0 = (uint32_t) key, k1 = (uint32_t) (key >> 32);
                for (int r = 0; r < 10; r++) {
                    const uint64_t p0 = (uint64_t) 0xD2511F53u * c0, p1 = (uint64_t) 0xCD9E8D57u * c2;
                    const uint32_t n0 = (uint32_t) (p1 >> 32) ^ c1 ^ k0, n1 = (uint32_t) p1;
                    const uint32_t n2 = (uint32_t) (p0 >> 32) ^ c3 ^ k1, n3 = (uint32_t) p0;
                    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
                    k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
                }
                w[0] = c0; w[1] = c1; w[2] = c2; w[3] = c3;
            }
            static inline double tsl_floordiv_d(double a, double b) {  /* NumPy's npy_divmod: 1.0 // 0.1 is 9 */
                if (b == 0) return a / b;
                double m = fmod(a, b), d = (a - m) / b;
                if (m != 0 && ((b < 0) != (m < 0))) d -= 1.0;
                if (d == 0) return copysign(0.0, a / b);
                double f = floor(d);
                return d - f > 0.5 ? f + 1.0 : f;
            }
            static inline int64_t tsl_floordiv_i(int64_t a, int64_t b) {
                if (b == 0) return 0;                              /* NumPy gives 0 (with a warning) */
                if (b == -1) return (int64_t) (0 - (uint64_t) a);  /* INT64_MIN / -1 would trap */
                int64_t q = a / b;
                if ((a %% b != 0) && ((a < 0) != (b < 0))) q--;
                return q;
            }
            static inline double tsl_mod_d(double a, double b) {
                double m = fmod(a, b);
                if (b == 0) return m;
                if (m != 0) { if ((m < 0) != (b < 0)) m += b; } else m = copysign(0.0, b);  /* NumPy: a zero takes b's sign */
                return m;
            }
            static inline int64_t tsl_mod_i(int64_t a, int64_t b) {
                if (b == 0 || b == -1) return 0;
                int64_t m = a %% b;
                if (m != 0 && ((m < 0) != (b < 0))) m += b;
                return m;
            }
            /* Java's (long) of a double: NaN is 0, out of range saturates (what the jvm reference stores
               when a float value goes into an integer array) */
            static inline int64_t tsl_d2l(double v) {
                if (v != v) return 0;
                if (v >= 9223372036854775807.0) return INT64_MAX;
                if (v <= -9223372036854775808.0) return INT64_MIN;
                return (int64_t) v;
            }
            #define tsl_floordiv(a, b) _Generic((a) + (b), double: tsl_floordiv_d, float: tsl_floordiv_d, default: tsl_floordiv_i)(a, b)
            #define tsl_mod(a, b) _Generic((a) + (b), double: tsl_mod_d, float: tsl_mod_d, default: tsl_mod_i)(a, b)
            /* x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)), the same values bit for bit, written with one
               exp and a select instead of a branch so that gcc vectorizes the loops that call it */
            static inline double tsl_sigmoid_d(double x) { double t = exp(-fabs(x)); return (x >= 0 ? 1.0 : t) / (1 + t); }
            static inline float tsl_sigmoid_f(float x) { float t = expf(-fabsf(x)); return (x >= 0 ? 1.0f : t) / (1 + t); }
            #define tsl_sigmoid(x) _Generic((x), float: tsl_sigmoid_f, default: tsl_sigmoid_d)(x)
            /* a loop whose length is unknown (a while loop) grows its outputs: rows more rows of the same row shape,
               moving the data with realloc; the buffer is the array's own (fresh) or a kept one (buf, cap non-NULL) */
            static int tsl_grow_rows(tsl_arr* a, int64_t rows, void** buf, int64_t* cap, int64_t itemsize) {
                int64_t row = 1;
                for (int i = 1; i < a->ndim; i++) row *= a->shape[i];
                if (rows <= 0 || (row > 0 && rows > INT64_MAX / row / itemsize)) return 1;
                int64_t bytes = rows * row * itemsize;
                if (bytes < 1) bytes = 1;
                void* p = realloc(a->data, (size_t) bytes);
                if (!p) return 1;   /* the old block is still the array's, freed as usual */
                a->data = (char*) p;
                a->shape[0] = rows;
                if (buf) { *buf = p; *cap = bytes; }
                return 0;
            }
            /* the host's cancellation flag (tsl.compile.Cancellation): its address sits just past the error
               message, written before every call; loops poll it so that a loop that never ends can be stopped */
            static inline int tsl_cancelled(const char* err) {
                volatile const int32_t* f = *(volatile const int32_t* const*) (err + TSL_ERRLEN);
                return f != NULL && *f != 0;
            }
            """;

    /** libm functions that glibc's libmvec has SIMD versions of (x86_64, glibc 2.35+). */
    static final String[] VECTOR_MATH = {"exp", "log", "exp2", "expm1", "log2", "log10", "log1p", "sin", "cos", "tan",
        "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "erfc", "pow"};

    /**
     * A C type that libmvec has versions of VECTOR_MATH for: the suffix of its libm names (expf)
     * and the vector-ABI codes of its SSE, AVX, AVX2 and AVX-512 variants (ISA letter, lanes).
     */
    record VectorType(String c, String suffix, List<String> variants) {
        /** The symbol of {@code f}'s variant {@code variant}: _ZGVdN4v_exp, _ZGVdN8vv_powf. */
        String symbol(String variant, String f) {
            return "_ZGV" + variant + (f.equals("pow") ? "vv_" : "v_") + f + suffix;
        }
    }

    /** Double and float, whose variants have twice the lanes. */
    static final List<VectorType> VECTOR_TYPES = List.of(
            new VectorType("double", "", List.of("bN2", "cN4", "dN4", "eN8")),
            new VectorType("float", "f", List.of("bN4", "cN8", "dN8", "eN16")));

    /**
     * Declarations that let gcc call libmvec's SIMD versions in vectorized loops, of the double
     * functions and of their float twins (expf, ...). glibc's math.h declares them only under
     * -ffast-math, which would also reassociate sums and change results; these keep IEEE
     * semantics (libmvec is accurate to a few ulp).
     */
    static String vectorMath() {
        StringBuilder sb = new StringBuilder("#ifdef TSL_MVEC\n");
        for (VectorType t : VECTOR_TYPES) {
            for (String f : VECTOR_MATH) {
                String params = f.equals("pow") ? "(" + t.c() + ", " + t.c() + ")" : "(" + t.c() + ")";
                sb.append(t.c()).append(' ').append(f).append(t.suffix()).append(params)
                        .append(" __attribute__((simd(\"notinbranch\")));\n");
            }
        }
        return sb.append("#endif\n").toString();
    }

    /**
     * From here on a math function follows its argument's type, as in the C++ that Theano and
     * PyTensor generate: exp of a float is expf, so float32 loops run float SIMD math (twice the
     * lanes of double) and round once, where float-to-double-and-back did the work in double.
     * Results may differ from the jvm linker's (double math, rounded) by an ulp or two of float32;
     * integer and double arguments call the double functions as before. It must come after the
     * declarations above: tgmath's macros would rewrite them.
     */
    static final String TYPE_GENERIC_MATH = "#include <tgmath.h>\n";

    static String text() {
        return String.format(TEXT, MAXDIM, ERR_BYTES) + vectorMath() + TYPE_GENERIC_MATH + ScalarOps.C_HELPERS;
    }
}
