package tsl.ops.elemwise;

/**
 * Special functions Java's Math lacks, to double precision: erf/erfc, log-gamma, digamma and
 * the inverse hyperbolic functions. They are the jvm reference; generated C calls libm.
 */
public final class SpecialFunctions {
    private SpecialFunctions() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double INV_SQRT_PI = 0.5641895835477563;
    private static final double LN2 = 0.6931471805599453;
    private static final double LN_SQRT_2PI = 0.9189385332046728;

    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        double r = ax < 2.0 ? erfSeries(ax) : 1.0 - erfcContinuedFraction(ax);
        return x < 0 ? -r : r;
    }

    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0.5) {
            // 1 - erf(x) is accurate here: erf(x) < 0.53, so nothing cancels
            return 1.0 - (x < 0 ? -erfSeries(-x) : erfSeries(x));
        }
        return erfcContinuedFraction(x);
    }

    /** erf(x) = 2/√π e^{-x²} Σ 2ⁿ x^{2n+1} / (1·3···(2n+1)): positive terms, so no cancellation for x ≥ 0. */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), by the modified Lentz method (x ≥ 0.5). */
    private static double erfcContinuedFraction(double x) {
        if (x > 27.3) {
            return 0.0; // below the smallest subnormal
        }
        final double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0.0;
        for (int k = 1; k < 5000; k++) {
            double a = k * 0.5;
            d = x + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return INV_SQRT_PI * Math.exp(-x * x) / f;
    }

    // Lanczos approximation, g = 7, n = 9 (the widely published coefficient set)
    private static final double LANCZOS_G = 7.0;
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    };

    /** log|Γ(x)|, as scipy.special.gammaln. */
    public static double gammaln(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Double.isInfinite(x)) {
            return Double.POSITIVE_INFINITY;
        }
        if (x <= 0 && x == Math.rint(x)) {
            return Double.POSITIVE_INFINITY;
        }
        if (x == 1.0 || x == 2.0) {
            return 0.0;
        }
        if (x < 0.5) {
            // reflection: Γ(x)Γ(1-x) = π / sin(πx)
            return Math.log(Math.PI / Math.abs(sinPi(x))) - gammaln(1.0 - x);
        }
        if (x > 1e7) {
            // Stirling with two correction terms is exact to double precision this far out
            double inv = 1.0 / x;
            return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + inv / 12.0 - inv * inv * inv / 360.0;
        }
        // (0.5, 3): from the series about 1 or 2, not from Lanczos minus the log of a product, which
        // loses the last digits to cancellation (1e-14 relative at 2.5)
        if (x <= 1.5) {
            return lgammaNearOne(x - 1.0);
        }
        if (x <= 2.5) {
            return lgammaNearOne(x - 2.0) + Math.log1p(x - 2.0);
        }
        if (x < 3.0) {
            return Math.log(x - 1.0) + lgammaNearOne(x - 3.0) + Math.log1p(x - 3.0);
        }
        return lanczosLog(x);
    }

    private static final double EULER_GAMMA = 0.5772156649015329;
    private static final double[] ZETA = {0, 0, Math.PI * Math.PI / 6, 1.2020569031595942, Math.pow(Math.PI, 4) / 90,
        1.0369277551433699, Math.pow(Math.PI, 6) / 945, 1.0083492773819228, Math.pow(Math.PI, 8) / 9450};

    private static final int SERIES_TERMS = 64;
    private static final double[] ZETA_K = new double[SERIES_TERMS];

    static {
        for (int k = 2; k < SERIES_TERMS; k++) {
            ZETA_K[k] = zeta(k);
        }
    }

    /**
     * log Γ(1+z) = -γz + Σ_{k≥2} (-1)^k ζ(k) z^k / k, for |z| <= 1/2 (64 terms: the first left out
     * is below 1e-20): near its zeros at 1 and 2 log Γ must be computed from z itself, or the result
     * has only absolute accuracy. Summed from the smallest term up.
     */
    private static double lgammaNearOne(double z) {
        double sum = 0.0;
        for (int k = SERIES_TERMS - 1; k >= 2; k--) {
            double term = ZETA_K[k] * Math.pow(Math.abs(z), k) / k;
            sum += (k % 2 == 1 && z > 0) ? -term : term;
        }
        return sum - EULER_GAMMA * z;
    }

    private static double zeta(int k) {
        if (k < ZETA.length) {
            return ZETA[k];
        }
        double s = 0.0;
        for (int n = 40; n >= 1; n--) {
            s += Math.pow(n, -k);
        }
        return s + Math.pow(40.5, 1 - k) / (k - 1); // integral estimate of the tail
    }

    private static double lanczosLog(double x) {
        double xm1 = x - 1.0;
        double a = LANCZOS[0];
        double t = xm1 + LANCZOS_G + 0.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            a += LANCZOS[i] / (xm1 + i);
        }
        return LN_SQRT_2PI + (xm1 + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** sin(πx) without the rounding error of multiplying a large x by π. */
    private static double sinPi(double x) {
        double r = x - 2.0 * Math.floor(x / 2.0); // in [0, 2)
        return Math.sin(Math.PI * r);
    }

    /** The digamma function ψ(x) = d/dx log Γ(x), as scipy.special.psi. */
    public static double psi(double x) {
        if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
            return x;
        }
        if (x == Double.NEGATIVE_INFINITY) {
            return Double.NaN;
        }
        if (x <= 0 && x == Math.rint(x)) {
            return Double.NaN;
        }
        double result = 0.0;
        if (x < 0) {
            // reflection: ψ(1-x) - ψ(x) = π cot(πx)
            result -= Math.PI / Math.tan(Math.PI * (x - Math.rint(x)));
            x = 1.0 - x;
        }
        while (x < 10.0) {
            result -= 1.0 / x;
            x += 1.0;
        }
        double inv2 = 1.0 / (x * x);
        // asymptotic series with Bernoulli numbers B2k/(2k), to B14: at x >= 10 the first term left out is below 1e-16
        double series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132
                - inv2 * (691.0 / 32760 - inv2 * (1.0 / 12)))))));
        return result + Math.log(x) - 0.5 / x - series;
    }

    public static double asinh(double x) {
        double a = Math.abs(x);
        double r;
        if (a > 1e8) {
            r = Math.log(a) + LN2;
        } else {
            // log1p form keeps precision for small |x|
            r = Math.log1p(a + a * a / (1.0 + Math.sqrt(1.0 + a * a)));
        }
        return x < 0 ? -r : r;
    }

    public static double acosh(double x) {
        if (x < 1.0) {
            return Double.NaN;
        }
        if (x > 1e8) {
            return Math.log(x) + LN2;
        }
        double t = x - 1.0;
        return Math.log1p(t + Math.sqrt(2.0 * t + t * t));
    }

    public static double atanh(double x) {
        double a = Math.abs(x);
        double r = 0.5 * Math.log1p(2.0 * a / (1.0 - a));
        return x < 0 ? -r : r;
    }

    /** log2 that is exact on powers of two, as C's log2. */
    public static double log2(double x) {
        if (x > 0 && !Double.isInfinite(x)) {
            int e = Math.getExponent(x);
            if (e >= Double.MIN_EXPONENT && x == Math.scalb(1.0, e)) {
                return e;
            }
        }
        return Math.log(x) / LN2;
    }

    /** log(1 + e^x) without overflow: log1p(e^{-|x|}) + max(x, 0). */
    public static double softplus(double x) {
        return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0.0);
    }
}
