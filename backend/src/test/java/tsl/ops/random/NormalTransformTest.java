package tsl.ops.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The own log and cos that normal draws use: within an ulp of the true values (log against
 * StrictMath over millions of inputs, cos against a 60-digit reference), and the special
 * cases a libm gives.
 */
class NormalTransformTest {
    private static final MathContext MC = new MathContext(60);
    private static final BigDecimal PI = new BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803");

    /** |a - b| in units of b's last place. */
    private static double ulps(double a, double b) {
        return Math.abs(a - b) / Math.ulp(b);
    }

    @Test
    void logIsWithinAnUlpOfStrictMathEverywhere() {
        SplittableRandom r = new SplittableRandom(1);
        double worst = 0;
        int differ = 0;
        final int n = 2_000_000;
        for (int i = 0; i < n; i++) {
            double x;
            switch (i % 4) {
                case 0 -> x = Double.longBitsToDouble(r.nextLong(1, 0x7FF0000000000000L)); // any positive double, subnormals too
                case 1 -> x = 1.0 - r.nextLong(1L << 53) * 0x1p-53;                        // what Box-Muller takes the log of
                case 2 -> x = 1.0 + (r.nextDouble() - 0.5) * 0x1p-20;                       // near 1, where log is small
                default -> x = r.nextDouble(0.5, 2.0);
            }
            double mine = NormalTransform.log(x);
            double ref = StrictMath.log(x);
            if (mine != ref) {
                differ++;
                worst = Math.max(worst, ulps(mine, ref));
            }
        }
        // both are within an ulp of the true value, so they can differ by at most the one ulp between its neighbours
        assertTrue(worst <= 1.0, "worst difference from StrictMath.log: " + worst + " ulp");
        assertTrue(differ < n / 100, differ + " of " + n + " differ from StrictMath.log in the last bit");
    }

    @Test
    void logSpecialValues() {
        assertEquals(0.0, NormalTransform.log(1.0));
        assertEquals(Double.NEGATIVE_INFINITY, NormalTransform.log(0.0));
        assertEquals(Double.NEGATIVE_INFINITY, NormalTransform.log(-0.0));
        assertEquals(Double.POSITIVE_INFINITY, NormalTransform.log(Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(NormalTransform.log(-1.0)));
        assertTrue(Double.isNaN(NormalTransform.log(Double.NaN)));
        assertEquals(StrictMath.log(Double.MIN_VALUE), NormalTransform.log(Double.MIN_VALUE), Math.ulp(745.0));
        assertEquals(StrictMath.log(Double.MAX_VALUE), NormalTransform.log(Double.MAX_VALUE), Math.ulp(709.0));
        assertEquals(-36.7368005696771, NormalTransform.log(0x1p-53), 1e-13); // the smallest u1 of a draw
    }

    /** cos(2πu) to 60 digits: Taylor series of the angle reduced to [-π, π]. */
    private static BigDecimal exactCosTurns(double u) {
        BigDecimal t = new BigDecimal(u).subtract(BigDecimal.valueOf(Math.rint(u)));
        BigDecimal x = t.multiply(PI.multiply(BigDecimal.valueOf(2)), MC);
        BigDecimal x2 = x.multiply(x, MC);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int k = 1; k < 60; k++) {
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf((2L * k - 1) * (2L * k)), MC).negate();
            sum = sum.add(term, MC);
        }
        return sum;
    }

    /** The error of {@code mine} in ulps of the exact cos(2πu) (an exact zero counts in ulps of the smallest double). */
    private static double exactUlps(double mine, double u) {
        BigDecimal exact = exactCosTurns(u);
        double ulp = Math.ulp(exact.doubleValue());
        return new BigDecimal(mine).subtract(exact, MC).abs().doubleValue() / ulp;
    }

    @Test
    void cosTurnsIsWithinAnUlpOfTheExactValue() {
        SplittableRandom r = new SplittableRandom(2);
        double worst = 0;
        for (int i = 0; i < 2_000; i++) {
            // near a zero of cos, where the result is tiny and an error in the argument would show
            double u = i % 3 == 0 ? 0.25 + (r.nextDouble() - 0.5) * 0x1p-30 : r.nextLong(1L << 53) * 0x1p-53;
            worst = Math.max(worst, exactUlps(NormalTransform.cosTurns(u), u));
        }
        assertTrue(worst < 1.0, "worst error of cosTurns: " + worst + " ulp");
        assertEquals(1.0, NormalTransform.cosTurns(0.0));
        assertEquals(-1.0, NormalTransform.cosTurns(0.5));
        assertEquals(0.0, NormalTransform.cosTurns(0.25), 0.0);
        assertEquals(Math.sqrt(0.5), NormalTransform.cosTurns(0.125), Math.ulp(0.7));
        assertEquals(exactCosTurns(-0.3).doubleValue(), NormalTransform.cosTurns(-0.3), Math.ulp(0.3));
        assertEquals(1.0, NormalTransform.cosTurns(0x1p60));
        assertTrue(Double.isNaN(NormalTransform.cosTurns(Double.POSITIVE_INFINITY)));
        assertTrue(Double.isNaN(NormalTransform.cosTurns(Double.NaN)));
    }

    @Test
    void cosTurnsAgreesWithMathCosOverMillionsOfDraws() {
        SplittableRandom r = new SplittableRandom(3);
        double worst = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double u = r.nextLong(1L << 53) * 0x1p-53;
            // Math.cos(2 * Math.PI * u) carries the rounding of 2πu and of π: an absolute error up to ~1.5 · 2^-52
            worst = Math.max(worst, Math.abs(NormalTransform.cosTurns(u) - Math.cos(2 * Math.PI * u)));
        }
        assertTrue(worst <= 0x1p-50, "worst absolute difference from Math.cos(2πu): " + worst);
    }

    @Test
    void standardNormalsAreCloseToMathsBoxMuller() {
        int[] w = new int[4];
        double worst = 0;
        double sum = 0;
        double sumSq = 0;
        final int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            Philox.block(Philox.key(7, 0), i, 0, w);
            double z = NormalTransform.standardNormal(w[0], w[1], w[2], w[3]);
            double u1 = 1.0 - Philox.unitDouble(w[0], w[1]);
            double u2 = Philox.unitDouble(w[2], w[3]);
            double libm = Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            // relative to the radius sqrt(-2 log u1): the cos factor's error is absolute (see above)
            worst = Math.max(worst, Math.abs(z - libm) / Math.max(Math.sqrt(-2.0 * Math.log(u1)), 1.0));
            sum += z;
            sumSq += z * z;
        }
        assertTrue(worst < 0x1p-49, "worst difference from Math's Box-Muller: " + worst);
        assertEquals(0.0, sum / n, 0.005);
        assertEquals(1.0, sumSq / n, 0.005);
    }

    @Test
    void theCTextCarriesTheSameConstants() {
        for (double c : NormalTransform.LOG_SERIES) {
            assertTrue(NormalTransform.C_CODE.contains(Double.toHexString(c)), "constant " + c);
        }
        assertEquals(NormalTransform.LOG_SERIES[2], Double.parseDouble(Double.toHexString(NormalTransform.LOG_SERIES[2])));
        assertTrue(NormalTransform.C_CODE.contains("fp-contract=off"));
    }
}
