package tsl.tensor;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * NumPy 1.24's printing of arrays and scalars (print options at their defaults: precision 8,
 * floatmode 'maxprec', linewidth 75, threshold 1000, edgeitems 3), so that TSL prints what
 * NumPy prints, byte for byte.
 */
public final class NumpyFormat {
    private static final int PRECISION = 8;
    private static final int LINE_WIDTH = 75;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;

    private NumpyFormat() {}

    // ------------------------------------------------------------------ scalars

    /** Python's repr of a float (also NumPy's str of a float64/float32 scalar). */
    public static String pythonFloat(double v) {
        return shortestScalar(v, false);
    }

    /** str() of a NumPy scalar of the given dtype. */
    public static String scalarStr(double v, long lv, DType dtype) {
        return switch (dtype.kind()) {
            case BOOL -> lv != 0 ? "True" : "False";
            case INT, UINT -> Long.toString(lv);
            case FLOAT -> shortestScalar(v, dtype == DType.FLOAT32);
        };
    }

    private static String shortestScalar(double v, boolean single) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        Digits d = Digits.shortest(v, single);
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-4 || a >= 1e16)) {
            return d.scientific(-1, false, 2);
        }
        return d.positional(-1, false);
    }

    // ------------------------------------------------------------------ arrays

    public static String str(NDArray a) {
        if (a.ndim() == 0) {
            return scalarStr(a.getDouble(0), a.getLong(0), a.dtype());
        }
        if (a.size() == 0) {
            return "[]";
        }
        return formatArray(a, " ", "", LINE_WIDTH);
    }

    public static String repr(NDArray a) {
        boolean skipDtype = a.dtype() == DType.FLOAT64 || a.dtype() == DType.INT64 || a.dtype() == DType.BOOL;
        String prefix = "array(";
        String suffix = skipDtype ? ")" : ",";
        String body;
        if (a.size() > 0 || (a.ndim() == 1)) {
            body = a.size() == 0 ? "[]" : formatArray(a, ", ", prefix, LINE_WIDTH - suffix.length());
        } else {
            body = "[], shape=" + Shapes.format(a.shape());
        }
        String s = prefix + body + suffix;
        if (skipDtype) {
            return s;
        }
        String dtypeStr = "dtype=" + a.dtype().numpyName() + ")";
        int lastLine = s.length() - (s.lastIndexOf('\n') + 1);
        String spacer = lastLine + dtypeStr.length() + 1 > LINE_WIDTH ? "\n" + " ".repeat(prefix.length()) : " ";
        return s + spacer + dtypeStr;
    }

    private static String formatArray(NDArray a, String separator, String prefix, int lineWidth) {
        boolean summarize = a.size() > THRESHOLD;
        LongFunction<String> fmt = elementFormatter(a, summarize);
        StringBuilder out = new StringBuilder();
        String nextLinePrefix = " " + " ".repeat(prefix.length());
        out.append(recurse(a, new int[0], fmt, nextLinePrefix, lineWidth, separator, summarize));
        return out.toString();
    }

    private static String recurse(NDArray a, int[] index, LongFunction<String> fmt, String hanging,
                                  int width, String separator, boolean summarize) {
        int axis = index.length;
        int axesLeft = a.ndim() - axis;
        if (axesLeft == 0) {
            return fmt.apply(linear(a, index));
        }
        String nextHanging = hanging + " ";
        int nextWidth = width - 1;
        int len = a.dim(axis);
        boolean showSummary = summarize && 2 * EDGE_ITEMS < len;
        int leading = showSummary ? EDGE_ITEMS : 0;
        int trailing = showSummary ? EDGE_ITEMS : len;
        StringBuilder s = new StringBuilder();
        if (axesLeft == 1) {
            int elemWidth = width - Math.max(separator.stripTrailing().length(), 1);
            StringBuilder line = new StringBuilder(hanging);
            for (int i = 0; i < leading; i++) {
                extendLine(s, line, recurse(a, append(index, i), fmt, nextHanging, nextWidth, separator, summarize), elemWidth, hanging);
                line.append(separator);
            }
            if (showSummary) {
                extendLine(s, line, "...", elemWidth, hanging);
                line.append(separator);
            }
            for (int i = trailing; i > 1; i--) {
                extendLine(s, line, recurse(a, append(index, len - i), fmt, nextHanging, nextWidth, separator, summarize), elemWidth, hanging);
                line.append(separator);
            }
            extendLine(s, line, recurse(a, append(index, len - 1), fmt, nextHanging, nextWidth, separator, summarize), elemWidth, hanging);
            s.append(line);
        } else {
            String lineSep = separator.stripTrailing() + "\n".repeat(axesLeft - 1);
            for (int i = 0; i < leading; i++) {
                s.append(hanging).append(recurse(a, append(index, i), fmt, nextHanging, nextWidth, separator, summarize)).append(lineSep);
            }
            if (showSummary) {
                s.append(hanging).append("...").append(lineSep);
            }
            for (int i = trailing; i > 1; i--) {
                s.append(hanging).append(recurse(a, append(index, len - i), fmt, nextHanging, nextWidth, separator, summarize)).append(lineSep);
            }
            s.append(hanging).append(recurse(a, append(index, len - 1), fmt, nextHanging, nextWidth, separator, summarize));
        }
        return "[" + s.substring(hanging.length()) + "]";
    }

    private static void extendLine(StringBuilder s, StringBuilder line, String word, int lineWidth, String nextLinePrefix) {
        boolean wrap = line.length() + word.length() > lineWidth;
        if (line.length() <= nextLinePrefix.length()) {
            wrap = false;
        }
        if (wrap) {
            s.append(line.toString().stripTrailing()).append('\n');
            line.setLength(0);
            line.append(nextLinePrefix);
        }
        line.append(word);
    }

    private static int[] append(int[] index, int i) {
        int[] r = java.util.Arrays.copyOf(index, index.length + 1);
        r[index.length] = i;
        return r;
    }

    private static long linear(NDArray a, int[] index) {
        long lin = 0;
        for (int i = 0; i < index.length; i++) {
            lin = lin * a.dim(i) + index[i];
        }
        return lin;
    }

    /** The linear indices whose elements are printed (all, or the edges when summarizing). */
    private static List<Long> shownElements(NDArray a, boolean summarize) {
        List<Long> out = new ArrayList<>();
        collect(a, new int[0], summarize, out);
        return out;
    }

    private static void collect(NDArray a, int[] index, boolean summarize, List<Long> out) {
        if (index.length == a.ndim()) {
            out.add(linear(a, index));
            return;
        }
        int len = a.dim(index.length);
        for (int i = 0; i < len; i++) {
            if (summarize && 2 * EDGE_ITEMS < len && i >= EDGE_ITEMS && i < len - EDGE_ITEMS) {
                i = len - EDGE_ITEMS - 1;
                continue;
            }
            collect(a, append(index, i), summarize, out);
        }
    }

    private static LongFunction<String> elementFormatter(NDArray a, boolean summarize) {
        List<Long> shown = shownElements(a, summarize);
        switch (a.dtype().kind()) {
            case BOOL: {
                boolean anyFalse = false;
                for (long i : shown) {
                    anyFalse |= !a.getBoolean(i);
                }
                String t = anyFalse ? " True" : "True";
                return i -> a.getBoolean(i) ? t : "False";
            }
            case INT:
            case UINT: {
                int w = 0;
                for (long i : shown) {
                    w = Math.max(w, Long.toString(a.getLong(i)).length());
                }
                int width = w;
                return i -> pad(Long.toString(a.getLong(i)), width);
            }
            default:
                return floatFormatter(a, shown);
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** NumPy's FloatingFormat with floatmode 'maxprec'. */
    private static LongFunction<String> floatFormatter(NDArray a, List<Long> shown) {
        boolean single = a.dtype() == DType.FLOAT32;
        List<Double> finite = new ArrayList<>();
        boolean hasNonFinite = false;
        boolean negInf = false;
        for (long i : shown) {
            double v = a.getDouble(i);
            if (Double.isFinite(v)) {
                finite.add(v);
            } else {
                hasNonFinite = true;
                negInf |= v == Double.NEGATIVE_INFINITY;
            }
        }
        boolean exp = false;
        double maxVal = 0;
        double minVal = Double.POSITIVE_INFINITY;
        for (double v : finite) {
            if (v != 0) {
                maxVal = Math.max(maxVal, Math.abs(v));
                minVal = Math.min(minVal, Math.abs(v));
            }
        }
        if (maxVal > 0) {
            exp = maxVal >= 1e8 || minVal < 0.0001 || maxVal / minVal > 1000.0;
        }
        int padLeft = 0;
        int padRight = 0;
        int precision = PRECISION;
        int expSize = -1;
        if (finite.isEmpty()) {
            padLeft = 0;
            padRight = 0;
        } else if (exp) {
            int maxFrac = 0;
            for (double v : finite) {
                String s = Digits.shortest(v, single).limit(PRECISION, true).scientific(-1, true, 2);
                int e = s.indexOf('e');
                String mant = s.substring(0, e);
                int dot = mant.indexOf('.');
                padLeft = Math.max(padLeft, dot);
                maxFrac = Math.max(maxFrac, mant.length() - dot - 1);
                expSize = Math.max(expSize, s.length() - e - 2);
            }
            precision = maxFrac;
            padRight = expSize + 2 + precision;
        } else {
            for (double v : finite) {
                String s = Digits.shortest(v, single).limit(PRECISION, false).positional(-1, true);
                int dot = s.indexOf('.');
                padLeft = Math.max(padLeft, dot);
                padRight = Math.max(padRight, s.length() - dot - 1);
            }
        }
        if (hasNonFinite) {
            int offset = padRight + 1;
            padLeft = Math.max(padLeft, Math.max(3 - offset, 3 + (negInf ? 1 : 0) - offset));
        }
        final boolean useExp = exp;
        final int pl = padLeft;
        final int pr = padRight;
        final int prec = precision;
        final int es = expSize;
        return i -> {
            double v = a.getDouble(i);
            String body;
            if (!Double.isFinite(v)) {
                body = Double.isNaN(v) ? "nan" : (v > 0 ? "inf" : "-inf");
                return pad(body, pl + pr + 1);
            }
            if (useExp) {
                String s = Digits.shortest(v, single).limit(PRECISION, true).scientific(prec, true, es);
                int dot = s.indexOf('.');
                return " ".repeat(Math.max(0, pl - dot)) + s;
            }
            String s = Digits.shortest(v, single).limit(PRECISION, false).positional(-1, true);
            int dot = s.indexOf('.');
            int frac = s.length() - dot - 1;
            return " ".repeat(Math.max(0, pl - dot)) + s + " ".repeat(Math.max(0, pr - frac));
        };
    }

    /** Decimal digits d1.d2d3... × 10^exp10 of a finite value, and its sign. */
    static final class Digits {
        final boolean negative;
        final String digits; // no leading zeros, at least one digit ("0" for zero)
        final int exp10;     // value = 0.d1d2... × 10^(exp10+1), i.e. d1 is at 10^exp10

        private Digits(boolean negative, String digits, int exp10) {
            this.negative = negative;
            this.digits = digits;
            this.exp10 = exp10;
        }

        static Digits shortest(double v, boolean single) {
            boolean neg = v < 0 || (v == 0 && 1 / v < 0);
            if (v == 0) {
                return new Digits(neg, "0", 0);
            }
            String s = single ? Float.toString(Math.abs((float) v)) : Double.toString(Math.abs(v));
            BigDecimal bd = new BigDecimal(s).stripTrailingZeros();
            String unscaled = bd.unscaledValue().toString();
            int exp10 = unscaled.length() - 1 - bd.scale();
            return new Digits(neg, unscaled, exp10);
        }

        /** Rounds to at most {@code precision} digits after the point (positional or scientific). */
        Digits limit(int precision, boolean scientific) {
            int keep = scientific ? precision + 1 : exp10 + 1 + precision;
            if (digits.length() <= keep || digits.equals("0")) {
                return this;
            }
            if (keep <= 0) {
                // rounds to zero or to one unit in the last place
                BigDecimal x = new BigDecimal("0." + digits).movePointRight(exp10 + 1);
                BigDecimal r = x.setScale(precision, RoundingMode.HALF_EVEN).stripTrailingZeros();
                if (r.signum() == 0) {
                    return new Digits(negative, "0", 0);
                }
                String u = r.unscaledValue().toString();
                return new Digits(negative, u, u.length() - 1 - r.scale());
            }
            BigDecimal x = new BigDecimal(digits);
            BigDecimal r = x.movePointLeft(digits.length() - keep).setScale(0, RoundingMode.HALF_EVEN);
            String u = r.toBigInteger().toString();
            int e = exp10 + (u.length() - keep);
            u = u.replaceAll("0+$", "");
            if (u.isEmpty()) {
                u = "0";
            }
            return new Digits(negative, u, e);
        }

        /** Positional notation, "2." style when {@code trimToDot} and there is no fraction. */
        String positional(int minFrac, boolean trimToDot) {
            StringBuilder sb = new StringBuilder();
            if (negative) {
                sb.append('-');
            }
            if (digits.equals("0")) {
                sb.append("0.");
                if (!trimToDot) {
                    sb.append('0');
                }
                return sb.toString();
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
         * Scientific notation d.ddde±XX. {@code fracDigits} &gt;= 0 pads the fraction with zeros;
         * {@code keepDot} keeps "1." for a single digit (NumPy's arrays) instead of "1" (Python's repr).
         */
        String scientific(int fracDigits, boolean keepDot, int minExpDigits) {
            StringBuilder sb = new StringBuilder();
            if (negative) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            String frac = digits.substring(1);
            if (fracDigits > frac.length()) {
                frac = frac + "0".repeat(fracDigits - frac.length());
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
}
