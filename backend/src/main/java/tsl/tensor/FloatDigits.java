package tsl.tensor;

import java.math.BigInteger;

/**
 * The decimal digits of a finite float64 or float32 value exactly as NumPy's Dragon4
 * (numpy/core/src/multiarray/dragon4.c) produces them, and their positional or scientific
 * rendering. Java's Double.toString is not enough: NumPy cuts the shortest digits off at a
 * precision by rounding the exact binary value, and when asked for more digits than the
 * shortest (min_digits) prints further digits of the exact value (float32 6.853879e-11 is
 * 6.8538793e-11 in an array whose other values need 8 digits).
 */
final class FloatDigits {
    private static final double LOG10_2 = 0.30102999566398119521373889472449302676818988146211;
    /** Dragon4's output buffer: a cutoff it never reaches in practice. */
    private static final int BUFFER_SIZE = 16384;

    final boolean negative;
    /** Significant digits without trailing zeros; "0" for zero. */
    final String digits;
    /** Power of ten of the first digit: value = d1.d2d3... × 10^exp10. */
    final int exp10;

    private FloatDigits(boolean negative, String digits, int exp10) {
        this.negative = negative;
        this.digits = digits;
        this.exp10 = exp10;
    }

    /** The shortest digits that tell {@code v} apart from its float64 (float32 when {@code single}) neighbours. */
    static FloatDigits shortest(double v, boolean single) {
        return dragon4(v, single, false, -1, -1);
    }

    /**
     * Digits up to 10^-{@code precision} (unique digits, so fewer when those suffice); at least
     * the whole-number digits when {@code minDigits} is 0, as NumPy's FloatingFormat asks.
     */
    static FloatDigits fraction(double v, boolean single, int precision, int minDigits) {
        return dragon4(v, single, true, precision, minDigits);
    }

    /** Digits for scientific notation: at most {@code precision} and at least {@code minDigits} after the point. */
    static FloatDigits scientificDigits(double v, boolean single, int precision, int minDigits) {
        return dragon4(v, single, false, precision < 0 ? -1 : precision + 1, minDigits < 0 ? -1 : minDigits + 1);
    }

    /**
     * Dragon4 in its unique-digits mode. {@code cutoffMax} (-1: none) is the digit to stop and
     * round at and {@code cutoffMin} (-1: none) the digit before which uniqueness may not stop
     * it, both counted after the point when {@code fractionMode}, else as total digits.
     */
    private static FloatDigits dragon4(double v, boolean single, boolean fractionMode, int cutoffMax, int cutoffMin) {
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        long mantissa;
        int exponent;
        int mantissaBit;
        boolean unequalMargins;
        if (single) {
            int bits = Float.floatToRawIntBits((float) v);
            int m = bits & 0x7fffff;
            int e = (bits >>> 23) & 0xff;
            if (e != 0) {
                mantissa = (1L << 23) | m;
                exponent = e - 127 - 23;
                mantissaBit = 23;
                unequalMargins = e != 1 && m == 0;
            } else {
                mantissa = m;
                exponent = 1 - 127 - 23;
                mantissaBit = 63 - Long.numberOfLeadingZeros(Math.max(m, 1));
                unequalMargins = false;
            }
        } else {
            long bits = Double.doubleToRawLongBits(v);
            long m = bits & 0xfffffffffffffL;
            int e = (int) ((bits >>> 52) & 0x7ff);
            if (e != 0) {
                mantissa = (1L << 52) | m;
                exponent = e - 1023 - 52;
                mantissaBit = 52;
                unequalMargins = e != 1 && m == 0;
            } else {
                mantissa = m;
                exponent = 1 - 1023 - 52;
                mantissaBit = 63 - Long.numberOfLeadingZeros(Math.max(m, 1));
                unequalMargins = false;
            }
        }
        if (mantissa == 0) {
            return new FloatDigits(negative, "0", 0);
        }
        boolean isEven = (mantissa & 1) == 0;

        // value / scale is the number; the margins are half the distance to the neighbours
        BigInteger m = BigInteger.valueOf(mantissa);
        BigInteger value;
        BigInteger scale;
        BigInteger marginLow;
        if (exponent > 0) {
            value = m.shiftLeft(exponent + (unequalMargins ? 2 : 1));
            scale = BigInteger.valueOf(unequalMargins ? 4 : 2);
            marginLow = BigInteger.ONE.shiftLeft(exponent);
        } else {
            value = m.shiftLeft(unequalMargins ? 2 : 1);
            scale = BigInteger.ONE.shiftLeft(-exponent + (unequalMargins ? 2 : 1));
            marginLow = BigInteger.ONE;
        }
        BigInteger marginHigh = unequalMargins ? marginLow.shiftLeft(1) : marginLow;

        int digitExponent = (int) Math.ceil((mantissaBit + exponent) * LOG10_2 - 0.69);
        if (cutoffMax >= 0 && fractionMode && digitExponent <= -cutoffMax) {
            // all digits would fall past the cutoff: start right at it
            digitExponent = -cutoffMax + 1;
        }
        if (digitExponent > 0) {
            scale = scale.multiply(BigInteger.TEN.pow(digitExponent));
        } else if (digitExponent < 0) {
            BigInteger pow10 = BigInteger.TEN.pow(-digitExponent);
            value = value.multiply(pow10);
            marginLow = marginLow.multiply(pow10);
            marginHigh = unequalMargins ? marginLow.shiftLeft(1) : marginLow;
        }
        if (value.compareTo(scale) >= 0) {
            digitExponent++;
        } else {
            value = value.multiply(BigInteger.TEN);
            marginLow = marginLow.multiply(BigInteger.TEN);
            marginHigh = unequalMargins ? marginLow.shiftLeft(1) : marginLow;
        }

        int cutoffMaxExponent = digitExponent - BUFFER_SIZE;
        if (cutoffMax >= 0) {
            cutoffMaxExponent = Math.max(cutoffMaxExponent, fractionMode ? -cutoffMax : digitExponent - cutoffMax);
        }
        int cutoffMinExponent = digitExponent;
        if (cutoffMin >= 0) {
            cutoffMinExponent = Math.min(cutoffMinExponent, fractionMode ? -cutoffMin : digitExponent - cutoffMin);
        }
        int outExponent = digitExponent - 1;

        StringBuilder out = new StringBuilder();
        int outputDigit;
        boolean low;
        boolean high;
        while (true) {
            digitExponent--;
            BigInteger[] qr = value.divideAndRemainder(scale);
            outputDigit = qr[0].intValue();
            value = qr[1];
            int cmpLow = value.compareTo(marginLow);
            int cmpHigh = value.add(marginHigh).compareTo(scale);
            low = isEven ? cmpLow <= 0 : cmpLow < 0;
            high = isEven ? cmpHigh >= 0 : cmpHigh > 0;
            if (((low || high) && digitExponent <= cutoffMinExponent) || digitExponent == cutoffMaxExponent) {
                break;
            }
            out.append((char) ('0' + outputDigit));
            value = value.multiply(BigInteger.TEN);
            marginLow = marginLow.multiply(BigInteger.TEN);
            marginHigh = unequalMargins ? marginLow.shiftLeft(1) : marginLow;
        }

        // round the last digit: towards the side that still reads back, else to nearest (ties to even)
        boolean roundDown = low;
        if (low == high) {
            int cmp = value.shiftLeft(1).compareTo(scale);
            roundDown = cmp < 0 || (cmp == 0 && (outputDigit & 1) == 0);
        }
        if (roundDown) {
            out.append((char) ('0' + outputDigit));
        } else if (outputDigit < 9) {
            out.append((char) ('0' + outputDigit + 1));
        } else {
            int i = out.length() - 1;
            while (i >= 0 && out.charAt(i) == '9') {
                i--;
            }
            if (i < 0) {
                out.setLength(0);
                out.append('1');
                outExponent++;
            } else {
                out.setCharAt(i, (char) (out.charAt(i) + 1));
                out.setLength(i + 1);
            }
        }

        int end = out.length();
        while (end > 1 && out.charAt(end - 1) == '0') {
            end--;
        }
        String digits = out.substring(0, end);
        return digits.equals("0") ? new FloatDigits(negative, "0", 0) : new FloatDigits(negative, digits, outExponent);
    }

    /** Positional notation; "2." when {@code trimToDot} and there is no fraction, else "2.0". */
    String positional(boolean trimToDot) {
        StringBuilder sb = new StringBuilder();
        if (negative) {
            sb.append('-');
        }
        if (digits.equals("0")) {
            return sb.append(trimToDot ? "0." : "0.0").toString();
        }
        if (exp10 < 0) {
            sb.append("0.").append("0".repeat(-exp10 - 1)).append(digits);
        } else if (digits.length() <= exp10 + 1) {
            sb.append(digits).append("0".repeat(exp10 + 1 - digits.length())).append('.');
            if (!trimToDot) {
                sb.append('0');
            }
        } else {
            sb.append(digits, 0, exp10 + 1).append('.').append(digits.substring(exp10 + 1));
        }
        return sb.toString();
    }

    /**
     * Scientific notation d.ddde±XX with at least {@code minFraction} fraction digits (zero
     * padded) and {@code minExpDigits} exponent digits. {@code keepDot} keeps "1." for a single
     * digit (NumPy's arrays) where Python's repr writes "1".
     */
    String scientific(int minFraction, boolean keepDot, int minExpDigits) {
        StringBuilder sb = new StringBuilder();
        if (negative) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        String frac = digits.substring(1);
        if (minFraction > frac.length()) {
            frac = frac + "0".repeat(minFraction - frac.length());
        }
        if (!frac.isEmpty()) {
            sb.append('.').append(frac);
        } else if (keepDot) {
            sb.append('.');
        }
        int e = digits.equals("0") ? 0 : exp10;
        sb.append('e').append(e < 0 ? '-' : '+');
        String es = Integer.toString(Math.abs(e));
        if (es.length() < minExpDigits) {
            es = "0".repeat(minExpDigits - es.length()) + es;
        }
        return sb.append(es).toString();
    }
}
