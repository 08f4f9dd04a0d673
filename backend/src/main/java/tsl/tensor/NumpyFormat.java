package tsl.tensor;

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
    // np.set_printoptions(precision=..., suppress=...): process-wide, as NumPy 1.24's are
    private static volatile int precision = PRECISION;
    private static volatile boolean suppress = false;
    private static final int LINE_WIDTH = 75;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;

    private NumpyFormat() {}

    /** np.set_printoptions for the options TSL supports; null leaves an option as it is. */
    public static void setPrintOptions(Integer newPrecision, Boolean newSuppress) {
        if (newPrecision != null) {
            if (newPrecision < 0) {
                throw new IllegalArgumentException("precision must be >= 0");
            }
            precision = newPrecision;
        }
        if (newSuppress != null) {
            suppress = newSuppress;
        }
    }

    public static int precision() {
        return precision;
    }

    public static boolean suppress() {
        return suppress;
    }

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
        FloatDigits d = FloatDigits.shortest(v, single);
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-4 || a >= 1e16)) {
            return d.scientific(0, false, 2);
        }
        return d.positional(false);
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
        // an empty array's "[]" says nothing about its dtype, so NumPy always spells it out
        boolean skipDtype = a.size() > 0
                && (a.dtype() == DType.FLOAT64 || a.dtype() == DType.INT64 || a.dtype() == DType.BOOL);
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
                // " True" lines up with "False" whatever the values; only a 0-d array prints "True"
                String t = a.ndim() == 0 ? "True" : " True";
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

    /**
     * NumPy's FloatingFormat with floatmode 'maxprec': one pass over the shown values decides
     * between positional and scientific notation and the padding that lines the points up;
     * each value keeps its own (shortest, at most 8 fraction digits) digits.
     */
    private static LongFunction<String> floatFormatter(NDArray a, List<Long> shown) {
        boolean single = a.dtype() == DType.FLOAT32;
        List<Double> finite = new ArrayList<>();
        boolean hasNonFinite = false;
        boolean negInf = false;
        double maxVal = 0;
        double minVal = Double.POSITIVE_INFINITY;
        for (long i : shown) {
            double v = a.getDouble(i);
            if (!Double.isFinite(v)) {
                hasNonFinite = true;
                negInf |= v == Double.NEGATIVE_INFINITY;
                continue;
            }
            finite.add(v);
            if (v != 0) {
                maxVal = Math.max(maxVal, Math.abs(v));
                minVal = Math.min(minVal, Math.abs(v));
            }
        }
        boolean exp = false;
        if (maxVal > 0) {
            // NumPy divides two scalars of the array's dtype, so float32 arrays divide in float32;
            // the comparisons with Python floats happen in float64 (NumPy 1.x scalar promotion)
            double ratio = single ? (double) ((float) maxVal / (float) minVal) : maxVal / minVal;
            exp = maxVal >= 1e8 || (!suppress && (minVal < 0.0001 || ratio > 1000.0));
        }
        int padLeft = 0;
        int padRight = 0;
        int fraction = 0;
        int expDigits = 0;
        if (exp) {
            for (double v : finite) {
                String s = FloatDigits.scientificDigits(v, single, precision, -1).scientific(0, true, 2);
                int e = s.indexOf('e');
                int dot = s.indexOf('.');
                padLeft = Math.max(padLeft, dot);
                fraction = Math.max(fraction, e - dot - 1);
                expDigits = Math.max(expDigits, s.length() - e - 2);
            }
            padRight = expDigits + 2 + fraction;
        } else {
            for (double v : finite) {
                String s = FloatDigits.fraction(v, single, precision, -1).positional(true);
                int dot = s.indexOf('.');
                padLeft = Math.max(padLeft, dot);
                padRight = Math.max(padRight, s.length() - dot - 1);
            }
        }
        if (hasNonFinite) {
            // room for "nan", "inf" and "-inf" to the left of where the point would be
            int offset = padRight + 1;
            padLeft = Math.max(padLeft, (negInf ? 4 : 3) - offset);
        }
        boolean useExp = exp;
        int left = padLeft;
        int right = padRight;
        int minFraction = fraction;
        int minExpDigits = expDigits;
        return i -> {
            double v = a.getDouble(i);
            if (!Double.isFinite(v)) {
                return pad(Double.isNaN(v) ? "nan" : (v > 0 ? "inf" : "-inf"), left + right + 1);
            }
            // this pass asks for more digits than the sizing pass: all whole-number digits
            // (float32 99999992 prints as 99999992., not its shortest 99999990.), and in
            // scientific notation as many fraction digits as the longest value has
            String s = useExp
                    ? FloatDigits.scientificDigits(v, single, minFraction, minFraction).scientific(minFraction, true, minExpDigits)
                    : FloatDigits.fraction(v, single, precision, 0).positional(true);
            int dot = s.indexOf('.');
            String padded = " ".repeat(Math.max(0, left - dot)) + s;
            return useExp ? padded : padded + " ".repeat(Math.max(0, right - (s.length() - dot - 1)));
        };
    }
}
