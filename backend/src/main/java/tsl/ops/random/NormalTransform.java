package tsl.ops.random;

/**
 * Box-Muller with our own {@code log} and {@code cos}, written once here in Java and once as C
 * ({@link #C_CODE}) with the same constants and the same IEEE double operations in the same
 * order, so a normal draw is the same bits on the jvm and the native linker. Java's
 * {@code Math.log}/{@code Math.cos} and glibc's may differ in the last bit, which is why
 * neither is used.
 *
 * <p>Accuracy, measured against mpmath at 160 bits over 300,000 inputs each (all positive
 * doubles, the (0, 1] of a draw, near 1; turns in [0, 1) and near a zero of cos): {@link #log}
 * 0.92 ulp at worst (Math.log: 0.5), {@link #cosTurns} 0.71 ulp at worst (Math.cos(2 * Math.PI * u):
 * 5.6e13 ulp, near its zeros, from rounding 2πu). NormalTransformTest keeps checking both.
 * The C must be compiled without floating-point contraction (an FMA rounds once where Java
 * rounds twice; at -O2 and up gcc contracts, and 2% of 10^7 draws then differed):
 * {@link #C_CODE} switches it off for its functions.
 */
public final class NormalTransform {
    private NormalTransform() {}

    /** 2/3, 2/5, ..., 2/21: log(1+f) = 2 atanh(s) = 2s + s·z·(2/3 + 2z/5 + ...), s = f/(2+f), z = s². */
    static final double[] LOG_SERIES = {
        0x1.5555555555555p-1, 0x1.999999999999ap-2, 0x1.2492492492492p-2, 0x1.c71c71c71c71cp-3, 0x1.745d1745d1746p-3,
        0x1.3b13b13b13b14p-3, 0x1.1111111111111p-3, 0x1.e1e1e1e1e1e1ep-4, 0x1.af286bca1af28p-4, 0x1.8618618618618p-4};
    /** ln 2 in two parts; the head has 42 significant bits, so k · head is exact for every exponent k. */
    static final double LN2_HEAD = 0x1.62e42fefa38p-1;
    static final double LN2_TAIL = 0x1.ef35793c7673p-45;
    /** The fraction bits of √2 rounded up: a significand above it is halved, keeping f = m - 1 in [√½ - 1, √2 - 1). */
    private static final long SQRT2_FRACTION = 0x6A09E667F3BCDL;

    /** π/2 = 1.5 + SIN_TAIL: r · 1.5 is exact for the reduced arguments of a draw (at most 51 significant bits). */
    static final double SIN_TAIL = 0x1.21fb54442d184p-4;
    /** Taylor coefficients of sin(πr/2) in r beyond the linear term: (-1)^k (π/2)^(2k+1) / (2k+1)!, k = 1..8. */
    static final double[] SIN_SERIES = {
        -0x1.4abbce625be53p-1, 0x1.466bc6775aae2p-4, -0x1.32d2cce62bd86p-8, 0x1.50783487ee782p-13,
        -0x1.e3074fde8871fp-19, 0x1.e8f434d018d63p-25, -0x1.6fadb9f155744p-31, 0x1.aaec32af93359p-38};
    /** -π²/8, the r² coefficient of cos(πr/2), as -1.25 + COS_R2_TAIL: -1.25 times a 50-bit square is exact. */
    static final double COS_R2_TAIL = 0x1.0b0cd906e8869p-6;
    static final double COS_R2 = -0x1.3bd3cc9be45dep+0;
    /** Taylor coefficients of cos(πr/2) in r from r⁴ on: (-1)^k (π/2)^(2k) / (2k)!, k = 2..9. */
    static final double[] COS_SERIES = {
        0x1.03c1f081b5ac4p-2, -0x1.55d3c7e3cbffap-6, 0x1.e1f506891babbp-11, -0x1.a6d1f2a204a8cp-16,
        0x1.f9d38a3763cc3p-22, -0x1.b6e24f44b128fp-28, 0x1.20c62c2f2d7f5p-34, -0x1.2a0c591af8314p-41};
    /** 2^28 + 1: Veltkamp's split of a double into a 25-bit head and the rest. */
    private static final double SPLIT = 0x1.0000001p28;

    /**
     * The natural logarithm. x = 2^k · m with m in [√½, √2), f = m - 1 (exact), and
     * log(1+f) = f - s·(f - Q) where s = f/(2+f) and Q = z·(2/3 + 2z/5 + ...), z = s²: the
     * leading term f is exact and the correction is at most a fifth of it, so its rounding
     * errors barely reach the result. Ten terms leave a truncation error under 2^-60 relative.
     */
    public static double log(double x) {
        if (!(x > 0 && x < Double.POSITIVE_INFINITY)) {
            return x == 0 ? Double.NEGATIVE_INFINITY : x > 0 ? x : Double.NaN;
        }
        long bits = Double.doubleToRawLongBits(x);
        int k = 0;
        if (bits < 0x0010000000000000L) { // subnormal: scale into the normal range first
            bits = Double.doubleToRawLongBits(x * 0x1p54);
            k = -54;
        }
        k += (int) (bits >>> 52) - 1023;
        long fraction = bits & 0x000FFFFFFFFFFFFFL;
        double m;
        if (fraction >= SQRT2_FRACTION) {
            m = Double.longBitsToDouble(fraction | 0x3FE0000000000000L);
            k++;
        } else {
            m = Double.longBitsToDouble(fraction | 0x3FF0000000000000L);
        }
        double f = m - 1.0;
        double s = f / (2.0 + f);
        double z = s * s;
        double q = z * horner(LOG_SERIES, z);
        double dk = k;
        return dk * LN2_HEAD + (f - (s * (f - q) - dk * LN2_TAIL));
    }

    /**
     * cos(2πu), the angle given in turns: 4u is split exactly into a quadrant n and r in
     * [-½, ½] (no rounding of 2π·u, whose error Math.cos(2 * Math.PI * u) carries, large in
     * relative terms near the zeros of cos), then ±cos(πr/2) or ±sin(πr/2) by Taylor series.
     * sin's leading term r·1.5 (π/2 = 1.5 + SIN_TAIL) is exact for a draw's arguments (at most
     * 51 significant bits), so only a small correction rounds. cos's second term, -π²r²/8, is up
     * to 0.31 and would carry the roundings of r² into the result; so r = head + rest
     * (Veltkamp), -1.25·head² is exact, 1 - 1.25·head² is summed with its rounding error kept
     * (Fast2Sum), and only terms under 0.02 are left to round.
     */
    public static double cosTurns(double u) {
        if (!(Math.abs(u) < 0x1p52)) {
            return Double.isNaN(u) || Double.isInfinite(u) ? Double.NaN : 1.0; // larger doubles are integers
        }
        double q = 4.0 * u;
        double n = Math.rint(q);
        double r = q - n;
        int quadrant = (int) ((long) n & 3);
        double r2 = r * r;
        if ((quadrant & 1) == 0) {
            double p = r * SPLIT;
            double head = p - (p - r);
            double rest = r - head;
            double hh = head * head;            // exact: head has at most 25 significant bits
            double lo = rest * (r + head);      // r² - head², to far more than the result needs
            double t = -1.25 * hh;              // exact
            double sum = 1.0 + t;
            double err = (1.0 - sum) + t;       // exact: what the sum rounded away
            double c = sum + (err + (COS_R2_TAIL * hh + COS_R2 * lo + r2 * r2 * horner(COS_SERIES, r2)));
            return quadrant == 0 ? c : -c;
        }
        double s = r * 1.5 + r * (SIN_TAIL + r2 * horner(SIN_SERIES, r2));
        return quadrant == 3 ? s : -s;
    }

    /** A standard normal from one Philox block: Box-Muller with u1 in (0, 1] so the log is finite. */
    public static double standardNormal(int w0, int w1, int w2, int w3) {
        double u1 = 1.0 - Philox.unitDouble(w0, w1);
        double u2 = Philox.unitDouble(w2, w3);
        return Math.sqrt(-2.0 * log(u1)) * cosTurns(u2);
    }

    /** c[0] + x·(c[1] + x·(... + x·c[n-1])): the order {@link #hornerC} writes. */
    private static double horner(double[] c, double x) {
        double p = c[c.length - 1];
        for (int j = c.length - 2; j >= 0; j--) {
            p = c[j] + x * p;
        }
        return p;
    }

    /** The C text of {@link #horner}: the same constants, to the bit, in the same order. */
    static String hornerC(double[] c, String x) {
        StringBuilder sb = new StringBuilder(Double.toHexString(c[c.length - 1]));
        for (int j = c.length - 2; j >= 0; j--) {
            sb.insert(0, Double.toHexString(c[j]) + " + " + x + " * (").append(')');
        }
        return "(" + sb + ")";
    }

    /**
     * The C twins of {@link #log}, {@link #cosTurns} and {@link #standardNormal}, and loops that
     * fill a float64 or float32 array with draw {@code counter} of a stream. The pragma turns off
     * contraction into FMA (gcc's default with -march=native); the fill loops are not inlined
     * into the caller, whose own options would apply to inlined code. {@code tsl_philox} is the
     * prelude's.
     */
    public static final String C_CODE = """
            #pragma GCC push_options
            #pragma GCC optimize ("fp-contract=off")
            static inline double tsl_log(double x) {
                if (!(x > 0 && x < INFINITY)) return x == 0 ? -INFINITY : x > 0 ? x : NAN;
                uint64_t bits;
                memcpy(&bits, &x, 8);
                int k = 0;
                if (bits < 0x0010000000000000ull) { const double y = x * 0x1p54; memcpy(&bits, &y, 8); k = -54; }
                k += (int) (bits >> 52) - 1023;
                const uint64_t fraction = bits & 0x000FFFFFFFFFFFFFull;
                uint64_t mb;
                if (fraction >= 0x%sull) { mb = fraction | 0x3FE0000000000000ull; k++; }
                else mb = fraction | 0x3FF0000000000000ull;
                double m;
                memcpy(&m, &mb, 8);
                const double f = m - 1.0;
                const double s = f / (2.0 + f);
                const double z = s * s;
                const double q = z * %s;
                const double dk = (double) k;
                return dk * %s + (f - (s * (f - q) - dk * %s));
            }
            static inline double tsl_cos_turns(double u) {
                if (!(fabs(u) < 0x1p52)) return isnan(u) || isinf(u) ? NAN : 1.0;
                const double q = 4.0 * u;
                const double n = rint(q);
                const double r = q - n;
                const int quadrant = (int) ((int64_t) n & 3);
                const double r2 = r * r;
                if ((quadrant & 1) == 0) {
                    const double p = r * %s;
                    const double head = p - (p - r);
                    const double rest = r - head;
                    const double hh = head * head;
                    const double lo = rest * (r + head);
                    const double t = -1.25 * hh;
                    const double sum = 1.0 + t;
                    const double err = (1.0 - sum) + t;
                    const double c = sum + (err + (%s * hh + %s * lo + r2 * r2 * %s));
                    return quadrant == 0 ? c : -c;
                }
                const double s = r * 1.5 + r * (%s + r2 * %s);
                return quadrant == 3 ? s : -s;
            }
            static inline double tsl_std_normal(const uint32_t w[4]) {
                const double u1 = 1.0 - ((double) (w[0] >> 5) * 67108864.0 + (double) (w[1] >> 6)) * 0x1.0p-53;
                const double u2 = ((double) (w[2] >> 5) * 67108864.0 + (double) (w[3] >> 6)) * 0x1.0p-53;
                return sqrt(-2.0 * tsl_log(u1)) * tsl_cos_turns(u2);
            }
            __attribute__((noinline)) static void tsl_normal_fill_d(uint64_t key, uint64_t counter, int64_t n, double* o) {
                for (int64_t i = 0; i < n; i++) { uint32_t w[4]; tsl_philox(key, (uint64_t) i, counter, w); o[i] = tsl_std_normal(w); }
            }
            __attribute__((noinline)) static void tsl_normal_fill_f(uint64_t key, uint64_t counter, int64_t n, float* o) {
                for (int64_t i = 0; i < n; i++) { uint32_t w[4]; tsl_philox(key, (uint64_t) i, counter, w); o[i] = (float) tsl_std_normal(w); }
            }
            #pragma GCC pop_options
            """.formatted(Long.toHexString(SQRT2_FRACTION).toUpperCase(), hornerC(LOG_SERIES, "z"),
            Double.toHexString(LN2_HEAD), Double.toHexString(LN2_TAIL), Double.toHexString(SPLIT),
            Double.toHexString(COS_R2_TAIL), Double.toHexString(COS_R2), hornerC(COS_SERIES, "r2"),
            Double.toHexString(SIN_TAIL), hornerC(SIN_SERIES, "r2"));
}
