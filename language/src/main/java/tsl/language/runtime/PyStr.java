package tsl.language.runtime;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import tsl.graph.Variable;
import tsl.tensor.NDArray;
import tsl.tensor.NumpyFormat;

/** Python's str(), repr() and string formatting ({@code %}, str.format and f-strings). */
public final class PyStr {
    private PyStr() {}

    @TruffleBoundary
    public static String str(Object o) {
        if (o instanceof String s) {
            return s;
        }
        if (o instanceof NDArray a) {
            return a.toString();
        }
        if (o instanceof HostObject h) {
            return h.str();
        }
        if (o instanceof PyInstance inst) {
            if (inst.cls.isException() && inst.cls.lookup("__str__") == null) {
                return inst.exceptionMessage();
            }
            Object m = inst.cls.lookup("__str__");
            if (m != null) {
                return (String) PyOps.call(m, List.of(inst), Map.of());
            }
        }
        return repr(o);
    }

    @TruffleBoundary
    public static String repr(Object o) {
        if (o == null || o == PyNone.NONE) {
            return "None";
        }
        if (o instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (o instanceof Long || o instanceof Integer || o instanceof BigInteger) {
            return o.toString();
        }
        if (o instanceof Double d) {
            return NumpyFormat.pythonFloat(d);
        }
        if (o instanceof String s) {
            return quote(s);
        }
        if (o instanceof PyList l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.items.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                Object x = l.items.get(i);
                sb.append(x == l ? "[...]" : repr(x));
            }
            return sb.append(']').toString();
        }
        if (o instanceof PyTuple t) {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < t.items.length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(repr(t.items[i]));
            }
            if (t.items.length == 1) {
                sb.append(',');
            }
            return sb.append(')').toString();
        }
        if (o instanceof PyDict d) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (var e : d.entries()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(repr(e.getKey().value())).append(": ").append(e.getValue() == d ? "{...}" : repr(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (o instanceof PySet s) {
            if (s.size() == 0) {
                return "set()";
            }
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (PyDict.Key k : s.items) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(repr(k.value()));
            }
            return sb.append('}').toString();
        }
        if (o instanceof NDArray a) {
            return a.repr();
        }
        if (o instanceof NpScalar s) {
            return s.repr();
        }
        if (o instanceof PyInstance inst) {
            Object m = inst.cls.lookup("__repr__");
            if (m != null) {
                return (String) PyOps.call(m, List.of(inst), Map.of());
            }
            if (inst.cls.isException()) {
                Object args = inst.attrs.get("args");
                String inner = args instanceof PyTuple t && t.size() == 1 ? repr(t.items[0]) : (args instanceof PyTuple t2 ? repr(t2).replaceAll(",\\)$", ")") : "()");
                if (args instanceof PyTuple t3 && t3.size() != 1) {
                    inner = repr(t3);
                    if (t3.size() == 0) {
                        inner = "()";
                    }
                    return inst.cls.name + inner;
                }
                return inst.cls.name + "(" + inner + ")";
            }
            return "<__main__." + inst.cls.name + " object>";
        }
        if (o instanceof PyClass c) {
            return ExceptionClasses.all().containsKey(c.name) && ExceptionClasses.get(c.name) == c
                    ? "<class '" + c.name + "'>" : "<class '__main__." + c.name + "'>";
        }
        if (o instanceof Variable v) {
            return v.toString();
        }
        if (o instanceof HostObject h) {
            return h.repr();
        }
        return o.toString();
    }

    /** Python's quoting of a string literal in repr. */
    public static String quote(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == q) {
                        sb.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append(q).toString();
    }

    // ------------------------------------------------------------------ % formatting

    /** {@code fmt % args}: printf-style formatting as Python does it. */
    @TruffleBoundary
    public static String percent(String fmt, Object args) {
        Object[] values;
        PyDict mapping = args instanceof PyDict d ? d : null;
        if (args instanceof PyTuple t) {
            values = t.items;
        } else {
            values = new Object[] {args};
        }
        StringBuilder out = new StringBuilder();
        int next = 0;
        int i = 0;
        while (i < fmt.length()) {
            char c = fmt.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= fmt.length()) {
                throw TslError.of("ValueError", "incomplete format");
            }
            Object key = null;
            if (fmt.charAt(i) == '(') {
                int close = fmt.indexOf(')', i);
                key = fmt.substring(i + 1, close);
                i = close + 1;
            }
            StringBuilder flags = new StringBuilder();
            while (i < fmt.length() && "-+ #0".indexOf(fmt.charAt(i)) >= 0) {
                flags.append(fmt.charAt(i++));
            }
            int width = -1;
            if (i < fmt.length() && fmt.charAt(i) == '*') {
                width = (int) Arith.toLong(values[next++]);
                i++;
            } else {
                int s = i;
                while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                    i++;
                }
                if (i > s) {
                    width = Integer.parseInt(fmt.substring(s, i));
                }
            }
            int precision = -1;
            if (i < fmt.length() && fmt.charAt(i) == '.') {
                i++;
                int s = i;
                while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                    i++;
                }
                precision = i > s ? Integer.parseInt(fmt.substring(s, i)) : 0;
            }
            while (i < fmt.length() && "hlL".indexOf(fmt.charAt(i)) >= 0) {
                i++;
            }
            if (i >= fmt.length()) {
                throw TslError.of("ValueError", "incomplete format");
            }
            char type = fmt.charAt(i++);
            if (type == '%') {
                out.append('%');
                continue;
            }
            Object v;
            if (key != null) {
                if (mapping == null) {
                    throw TslError.of("TypeError", "format requires a mapping");
                }
                v = mapping.get(key);
            } else {
                if (next >= values.length) {
                    throw TslError.of("TypeError", "not enough arguments for format string");
                }
                v = values[next++];
            }
            String f = flags.toString();
            String body = formatOne(type, v, f, precision);
            out.append(pad(body, width, f.contains("-"), f.contains("0") && "diouxXeEfFgG".indexOf(type) >= 0));
        }
        if (mapping == null && next < values.length) {
            throw TslError.of("TypeError", "not all arguments converted during string formatting");
        }
        return out.toString();
    }

    private static String formatOne(char type, Object v, String flags, int precision) {
        String sign = flags.contains("+") ? "+" : flags.contains(" ") ? " " : "";
        switch (type) {
            case 's': {
                String s = str(v);
                return precision >= 0 && precision < s.length() ? s.substring(0, precision) : s;
            }
            case 'r':
            case 'a':
                return repr(v);
            case 'd':
            case 'i':
            case 'u': {
                BigInteger n = toBigInt(v, type);
                return (n.signum() >= 0 ? sign : "") + n.toString();
            }
            case 'x':
            case 'X':
            case 'o': {
                BigInteger n = toBigInt(v, type);
                String s = n.abs().toString(type == 'o' ? 8 : 16);
                if (flags.contains("#")) {
                    s = (type == 'o' ? "0o" : "0x") + s;
                }
                if (type == 'X') {
                    s = s.toUpperCase();
                }
                return (n.signum() < 0 ? "-" : sign) + s;
            }
            case 'c':
                return v instanceof String s ? s : String.valueOf((char) Arith.toLong(v));
            case 'f':
            case 'F':
            case 'e':
            case 'E':
            case 'g':
            case 'G': {
                double d = toFloat(v);
                return floatFormat(d, type, precision < 0 ? 6 : precision, sign, flags.contains("#"));
            }
            default:
                throw TslError.of("ValueError", "unsupported format character '" + type + "'");
        }
    }

    private static BigInteger toBigInt(Object v, char type) {
        if (v instanceof Double d) {
            return new BigDecimal(d).toBigInteger();
        }
        if (v instanceof NDArray a && a.size() == 1) {
            return a.dtype().isFloat() ? new BigDecimal(a.item()).toBigInteger() : BigInteger.valueOf(a.itemLong());
        }
        if (v instanceof NpScalar s) {
            return s.dtype().isFloat() ? new BigDecimal(s.doubleValue()).toBigInteger() : BigInteger.valueOf(s.longValue());
        }
        if (Arith.isInt(v)) {
            return Arith.big(v);
        }
        throw TslError.of("TypeError", "%" + type + " format: a real number is required, not " + PyOps.typeName(v));
    }

    private static double toFloat(Object v) {
        if (Arith.isNumber(v)) {
            return Arith.toDouble(v);
        }
        if (v instanceof NDArray a && a.size() == 1) {
            return a.item();
        }
        if (v instanceof NpScalar s) {
            return s.doubleValue();
        }
        throw TslError.of("TypeError", "must be real number, not " + PyOps.typeName(v));
    }

    /** C's %f/%e/%g as Python implements them. */
    public static String floatFormat(double d, char type, int precision, String sign, boolean alt) {
        if (Double.isNaN(d)) {
            String s = "nan";
            return Character.isUpperCase(type) ? s.toUpperCase() : s;
        }
        if (Double.isInfinite(d)) {
            String s = (d < 0 ? "-" : sign) + "inf";
            return Character.isUpperCase(type) ? s.toUpperCase() : s;
        }
        String body;
        boolean neg = d < 0 || (d == 0 && 1 / d < 0);
        double a = Math.abs(d);
        switch (Character.toLowerCase(type)) {
            case 'f' -> body = new BigDecimal(a).setScale(precision, java.math.RoundingMode.HALF_EVEN).toPlainString();
            case 'e' -> body = sci(a, precision);
            default -> {
                int p = precision == 0 ? 1 : precision;
                if (a == 0) {
                    body = alt ? "0." + "0".repeat(p - 1) : "0";
                    break;
                }
                String e = sci(a, p - 1);
                int exp = Integer.parseInt(e.substring(e.indexOf('e') + 1));
                if (exp >= -4 && exp < p) {
                    body = new BigDecimal(a).setScale(p - 1 - exp, java.math.RoundingMode.HALF_EVEN).toPlainString();
                } else {
                    body = e;
                }
                if (!alt) {
                    body = stripZeros(body);
                }
            }
        }
        if (Character.isUpperCase(type)) {
            body = body.toUpperCase();
        }
        if (alt && precision == 0 && body.indexOf('.') < 0) {
            int e = body.indexOf('e');
            body = e < 0 ? body + "." : body.substring(0, e) + "." + body.substring(e);
        }
        return (neg ? "-" : sign) + body;
    }

    private static String sci(double a, int precision) {
        if (a == 0) {
            return (precision > 0 ? "0." + "0".repeat(precision) : "0") + "e+00";
        }
        BigDecimal bd = new BigDecimal(a);
        int exp = bd.precision() - bd.scale() - 1;
        BigDecimal mant = bd.movePointLeft(exp).setScale(precision, java.math.RoundingMode.HALF_EVEN);
        if (mant.compareTo(BigDecimal.TEN) >= 0) {
            exp++;
            mant = bd.movePointLeft(exp).setScale(precision, java.math.RoundingMode.HALF_EVEN);
        }
        String es = Integer.toString(Math.abs(exp));
        return mant.toPlainString() + "e" + (exp < 0 ? "-" : "+") + (es.length() < 2 ? "0" + es : es);
    }

    private static String stripZeros(String s) {
        int e = s.indexOf('e');
        String mant = e < 0 ? s : s.substring(0, e);
        String exp = e < 0 ? "" : s.substring(e);
        if (mant.indexOf('.') >= 0) {
            mant = mant.replaceAll("0+$", "");
            if (mant.endsWith(".")) {
                mant = mant.substring(0, mant.length() - 1);
            }
        }
        return mant + exp;
    }

    private static String pad(String s, int width, boolean left, boolean zero) {
        if (width <= s.length()) {
            return s;
        }
        int n = width - s.length();
        if (left) {
            return s + " ".repeat(n);
        }
        if (zero) {
            int signLen = s.startsWith("-") || s.startsWith("+") || s.startsWith(" ") ? 1 : 0;
            return s.substring(0, signLen) + "0".repeat(n) + s.substring(signLen);
        }
        return " ".repeat(n) + s;
    }

    // ------------------------------------------------------------------ format spec (str.format, f-strings)

    /** format(value, spec) with Python's format-spec mini-language. */
    @TruffleBoundary
    public static String format(Object v, String spec) {
        if (spec.isEmpty()) {
            return str(v);
        }
        int i = 0;
        char fill = ' ';
        char align = 0;
        if (spec.length() >= 2 && "<>=^".indexOf(spec.charAt(1)) >= 0) {
            fill = spec.charAt(0);
            align = spec.charAt(1);
            i = 2;
        } else if ("<>=^".indexOf(spec.charAt(0)) >= 0) {
            align = spec.charAt(0);
            i = 1;
        }
        String sign = "";
        if (i < spec.length() && "+- ".indexOf(spec.charAt(i)) >= 0) {
            sign = spec.charAt(i) == '-' ? "" : String.valueOf(spec.charAt(i));
            i++;
        }
        boolean alt = false;
        if (i < spec.length() && spec.charAt(i) == '#') {
            alt = true;
            i++;
        }
        if (i < spec.length() && spec.charAt(i) == '0') {
            if (align == 0) {
                fill = '0';
                align = '=';
            }
            i++;
        }
        int s = i;
        while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
            i++;
        }
        int width = i > s ? Integer.parseInt(spec.substring(s, i)) : -1;
        boolean comma = false;
        if (i < spec.length() && (spec.charAt(i) == ',' || spec.charAt(i) == '_')) {
            comma = true;
            i++;
        }
        int precision = -1;
        if (i < spec.length() && spec.charAt(i) == '.') {
            i++;
            s = i;
            while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
                i++;
            }
            precision = Integer.parseInt(spec.substring(s, i));
        }
        char type = i < spec.length() ? spec.charAt(i) : 0;
        String body;
        boolean numeric = Arith.isNumber(v) || v instanceof NpScalar || (v instanceof NDArray a && a.ndim() == 0);
        if (v instanceof NDArray a && a.ndim() == 0) {
            v = a.dtype().isFloat() ? (Object) a.item() : (Object) a.itemLong();
        }
        if (v instanceof NpScalar ns) {
            v = ns.toPython();
        }
        switch (type) {
            case 0 -> {
                if (v instanceof Double d && precision >= 0) {
                    body = floatFormat(d, 'g', precision, sign, alt);
                    if (body.indexOf('.') < 0 && body.indexOf('e') < 0 && body.indexOf('n') < 0) {
                        body = body + ".0";
                    }
                } else if (numeric) {
                    body = Arith.isInt(v) && !(v instanceof Boolean) ? (Arith.big(v).signum() >= 0 ? sign : "") + Arith.big(v) : (sign.isEmpty() || (v instanceof Double d && d < 0) ? "" : sign) + str(v);
                } else {
                    body = str(v);
                    if (precision >= 0 && precision < body.length()) {
                        body = body.substring(0, precision);
                    }
                }
            }
            case 's' -> {
                body = str(v);
                if (precision >= 0 && precision < body.length()) {
                    body = body.substring(0, precision);
                }
            }
            case 'd', 'n' -> body = (Arith.big(v).signum() >= 0 ? sign : "") + Arith.big(v);
            case 'x', 'X', 'o', 'b' -> {
                BigInteger n = Arith.big(v);
                int radix = type == 'o' ? 8 : type == 'b' ? 2 : 16;
                String digits = n.abs().toString(radix);
                if (type == 'X') {
                    digits = digits.toUpperCase();
                }
                String prefix = alt ? (type == 'o' ? "0o" : type == 'b' ? "0b" : type == 'X' ? "0X" : "0x") : "";
                body = (n.signum() < 0 ? "-" : sign) + prefix + digits;
            }
            case 'c' -> body = String.valueOf((char) Arith.toLong(v));
            case 'f', 'F', 'e', 'E', 'g', 'G' -> body = floatFormat(Arith.toDouble(v), type, precision < 0 ? 6 : precision, sign, alt);
            case '%' -> body = floatFormat(Arith.toDouble(v) * 100, 'f', precision < 0 ? 6 : precision, sign, alt) + "%";
            default -> throw TslError.of("ValueError", "Unknown format code '" + type + "' for object of type '" + PyOps.typeName(v) + "'");
        }
        if (comma) {
            body = groupThousands(body);
        }
        if (width > body.length()) {
            int n = width - body.length();
            char a = align != 0 ? align : (numeric ? '>' : '<');
            String f = String.valueOf(fill);
            body = switch (a) {
                case '<' -> body + f.repeat(n);
                case '^' -> f.repeat(n / 2) + body + f.repeat(n - n / 2);
                case '=' -> {
                    int signLen = body.startsWith("-") || body.startsWith("+") || body.startsWith(" ") ? 1 : 0;
                    yield body.substring(0, signLen) + f.repeat(n) + body.substring(signLen);
                }
                default -> f.repeat(n) + body;
            };
        }
        return body;
    }

    private static String groupThousands(String body) {
        int start = body.startsWith("-") || body.startsWith("+") ? 1 : 0;
        int end = start;
        while (end < body.length() && Character.isDigit(body.charAt(end))) {
            end++;
        }
        String digits = body.substring(start, end);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                sb.append(',');
            }
            sb.append(digits.charAt(i));
        }
        return body.substring(0, start) + sb + body.substring(end);
    }
}
