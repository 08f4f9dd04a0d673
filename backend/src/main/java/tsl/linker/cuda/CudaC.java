package tsl.linker.cuda;

import tsl.tensor.DType;

/**
 * The CUDA C vocabulary shared by the kernel generators: element types and a prelude that
 * defines the {@code tsl_*} helpers the ScalarOps' C expressions use, plus overloads that
 * CUDA's math library lacks for integers (so that one expression serves every dtype).
 */
final class CudaC {
    private CudaC() {}

    static String type(DType d) {
        return switch (d) {
            case BOOL, UINT8 -> "unsigned char";
            case INT8 -> "signed char";
            case INT16 -> "short";
            case INT32 -> "int";
            case INT64 -> "long long";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
        };
    }

    /** Stores a value of any arithmetic type as {@code out}'s dtype; bool means "non-zero", as NumPy casts. */
    static String convert(String expr, DType out) {
        if (out == DType.BOOL) {
            return "((unsigned char) ((" + expr + ") != 0))";
        }
        return "((" + type(out) + ") (" + expr + "))";
    }

    /**
     * The same expression with GNU statement expressions {@code ({ s1; ...; r; })} (which fused
     * Composites use, and gcc and nvcc accept) rewritten as immediately invoked C++ lambdas
     * {@code ([&]() { s1; ...; return r; }())}, since NVRTC does not accept them. Innermost first,
     * so nested composites work too.
     */
    static String withoutStatementExpressions(String expr) {
        String s = expr;
        int close;
        while ((close = s.indexOf("})")) >= 0) {
            int open = s.lastIndexOf("({", close);
            if (open < 0) {
                break;
            }
            String body = s.substring(open + 2, close).trim();
            if (body.endsWith(";")) {
                body = body.substring(0, body.length() - 1);
            }
            int split = lastTopLevelSemicolon(body);
            String stmts = split < 0 ? "" : body.substring(0, split + 1) + " ";
            String result = body.substring(split + 1).trim();
            s = s.substring(0, open) + "([&]() { " + stmts + "return " + result + "; }())" + s.substring(close + 2);
        }
        // NVRTC has no <stdint.h>: the composites' fixed-width names become built-in types
        return s.replaceAll("\\buint8_t\\b", "unsigned char").replaceAll("\\bint8_t\\b", "signed char")
                .replaceAll("\\bint16_t\\b", "short").replaceAll("\\bint32_t\\b", "int").replaceAll("\\bint64_t\\b", "tsl_i64");
    }

    private static int lastTopLevelSemicolon(String body) {
        int depth = 0;
        for (int i = body.length() - 1; i >= 0; i--) {
            char c = body.charAt(i);
            if (c == ')' || c == '}') {
                depth++;
            } else if (c == '(' || c == '{') {
                depth--;
            } else if (c == ';' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Compiled into every module. NVRTC has no system headers, so nothing here includes one. */
    static final String PRELUDE = """
            #define TSL_PI 3.14159265358979323846
            #define TSL_NAN_D __longlong_as_double(0x7ff8000000000000LL)
            typedef long long tsl_i64;
            /* V elements as one aligned struct: one 16-byte (or narrower) load or store moves them all */
            template <typename E, int V> struct alignas(sizeof(E) * V) tsl_vec { E v[V]; };
            __device__ __forceinline__ double tsl_floordiv(double a, double b) {
                if (b == 0) return a / b;
                double m = fmod(a, b), d = (a - m) / b;
                if (m != 0 && ((b < 0) != (m < 0))) d -= 1.0;
                if (d == 0) return copysign(0.0, a / b);
                double f = floor(d);
                return d - f > 0.5 ? f + 1.0 : f;
            }
            __device__ __forceinline__ float tsl_floordiv(float a, float b) { return (float) tsl_floordiv((double) a, (double) b); }
            __device__ __forceinline__ tsl_i64 tsl_floordiv(tsl_i64 a, tsl_i64 b) {
                if (b == 0) return 0;
                tsl_i64 q = a / b;
                return (q * b != a && ((a < 0) != (b < 0))) ? q - 1 : q;
            }
            __device__ __forceinline__ double tsl_mod(double a, double b) {
                double m = fmod(a, b);
                if (b == 0) return m;
                return m != 0 ? (((m < 0) != (b < 0)) ? m + b : m) : copysign(0.0, b);
            }
            __device__ __forceinline__ float tsl_mod(float a, float b) {
                float m = fmodf(a, b);
                if (b == 0) return m;
                return m != 0 ? (((m < 0) != (b < 0)) ? m + b : m) : copysignf(0.0f, b);
            }
            __device__ __forceinline__ tsl_i64 tsl_mod(tsl_i64 a, tsl_i64 b) {
                if (b == 0) return 0;
                tsl_i64 m = a % b;
                return (m != 0 && ((m < 0) != (b < 0))) ? m + b : m;
            }
            __device__ __forceinline__ double tsl_sigmoid(double x) {
                return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
            }
            __device__ __forceinline__ float tsl_sigmoid(float x) {
                return x >= 0 ? 1.0f / (1.0f + expf(-x)) : expf(x) / (1.0f + expf(x));
            }
            __device__ __forceinline__ double tsl_psi(double x) {
                double r = 0.0;
                if (x <= 0 && x == floor(x)) return TSL_NAN_D;
                if (x < 0) { r -= TSL_PI / tan(TSL_PI * (x - rint(x))); x = 1.0 - x; }
                while (x < 10.0) { r -= 1.0 / x; x += 1.0; }
                double i2 = 1.0 / (x * x);
                return r + log(x) - 0.5 / x
                    - i2 * (1.0/12 - i2 * (1.0/120 - i2 * (1.0/252 - i2 * (1.0/240 - i2 * (1.0/132)))));
            }
            __device__ __forceinline__ float tsl_psi(float x) { return (float) tsl_psi((double) x); }
            /* integer overloads: the jvm reference computes these in integers (NumPy's int results) */
            __device__ __forceinline__ tsl_i64 pow(tsl_i64 a, tsl_i64 b) {
                if (b < 0) return a == 1 ? 1 : (a == -1 ? ((b & 1) ? -1 : 1) : 0);
                tsl_i64 r = 1;
                while (b) { if (b & 1) r *= a; a *= a; b >>= 1; }
                return r;
            }
            __device__ __forceinline__ tsl_i64 fabs(tsl_i64 a) { return a < 0 ? -a : a; }
            __device__ __forceinline__ tsl_i64 fmax(tsl_i64 a, tsl_i64 b) { return a > b ? a : b; }
            __device__ __forceinline__ tsl_i64 fmin(tsl_i64 a, tsl_i64 b) { return a < b ? a : b; }
            /* float expressions with double literals (fmax(x, 0.0)) would otherwise reach the host-only std templates */
            __device__ __forceinline__ double fmax(float a, double b) { return fmax((double) a, b); }
            __device__ __forceinline__ double fmax(double a, float b) { return fmax(a, (double) b); }
            __device__ __forceinline__ double fmin(float a, double b) { return fmin((double) a, b); }
            __device__ __forceinline__ double fmin(double a, float b) { return fmin(a, (double) b); }
            __device__ __forceinline__ double pow(float a, double b) { return pow((double) a, b); }
            __device__ __forceinline__ double pow(double a, float b) { return pow(a, (double) b); }
            /* NumPy's maximum/minimum propagate NaN; C's fmax/fmin drop it */
            __device__ __forceinline__ double tsl_max(double a, double b) { return (a != a || b != b) ? a + b : fmax(a, b); }
            __device__ __forceinline__ float tsl_max(float a, float b) { return (a != a || b != b) ? a + b : fmaxf(a, b); }
            __device__ __forceinline__ tsl_i64 tsl_max(tsl_i64 a, tsl_i64 b) { return a > b ? a : b; }
            __device__ __forceinline__ double tsl_min(double a, double b) { return (a != a || b != b) ? a + b : fmin(a, b); }
            __device__ __forceinline__ float tsl_min(float a, float b) { return (a != a || b != b) ? a + b : fminf(a, b); }
            __device__ __forceinline__ tsl_i64 tsl_min(tsl_i64 a, tsl_i64 b) { return a < b ? a : b; }
            """;
}
