package tsl.language.runtime;

import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

/** str.format: replacement fields {}, {0}, {name}, {0.attr}, {0[k]}, with !r/!s conversions and a format spec. */
public final class StrFormat {
    private StrFormat() {}

    @TruffleBoundary
    public static String format(String fmt, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder out = new StringBuilder();
        int auto = 0;
        int i = 0;
        while (i < fmt.length()) {
            char c = fmt.charAt(i);
            if (c == '{') {
                if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '{') {
                    out.append('{');
                    i += 2;
                    continue;
                }
                int depth = 1;
                int j = i + 1;
                while (j < fmt.length() && depth > 0) {
                    if (fmt.charAt(j) == '{') {
                        depth++;
                    } else if (fmt.charAt(j) == '}') {
                        depth--;
                    }
                    j++;
                }
                if (depth != 0) {
                    throw TslError.of("ValueError", "expected '}' before end of string");
                }
                String field = fmt.substring(i + 1, j - 1);
                String spec = "";
                char conv = 0;
                int colon = topLevelIndex(field, ':');
                if (colon >= 0) {
                    spec = field.substring(colon + 1);
                    field = field.substring(0, colon);
                }
                int bang = field.indexOf('!');
                if (bang >= 0) {
                    conv = field.charAt(bang + 1);
                    field = field.substring(0, bang);
                }
                // nested fields inside the spec, e.g. {:{width}}
                if (spec.contains("{")) {
                    spec = format(spec, args, kwargs);
                }
                String first = field;
                String rest = "";
                int cut = firstOf(field);
                if (cut >= 0) {
                    first = field.substring(0, cut);
                    rest = field.substring(cut);
                }
                Object v;
                if (first.isEmpty()) {
                    if (auto >= args.size()) {
                        throw TslError.of("IndexError", "Replacement index " + auto + " out of range for positional args tuple");
                    }
                    v = args.get(auto++);
                } else if (Character.isDigit(first.charAt(0))) {
                    int idx = Integer.parseInt(first);
                    if (idx >= args.size()) {
                        throw TslError.of("IndexError", "Replacement index " + idx + " out of range for positional args tuple");
                    }
                    v = args.get(idx);
                } else {
                    v = kwargs.get(first);
                    if (v == null) {
                        throw TslError.of("KeyError", PyStr.repr(first));
                    }
                }
                v = accessChain(v, rest);
                if (conv == 'r') {
                    v = PyStr.repr(v);
                } else if (conv == 's') {
                    v = PyStr.str(v);
                }
                out.append(PyStr.format(v, spec));
                i = j;
            } else if (c == '}') {
                if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '}') {
                    out.append('}');
                    i += 2;
                    continue;
                }
                throw TslError.of("ValueError", "Single '}' encountered in format string");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int topLevelIndex(String s, char target) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == target && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int firstOf(String s) {
        int a = s.indexOf('.');
        int b = s.indexOf('[');
        if (a < 0) {
            return b;
        }
        if (b < 0) {
            return a;
        }
        return Math.min(a, b);
    }

    private static Object accessChain(Object v, String rest) {
        int i = 0;
        while (i < rest.length()) {
            if (rest.charAt(i) == '.') {
                int e = i + 1;
                while (e < rest.length() && rest.charAt(e) != '.' && rest.charAt(e) != '[') {
                    e++;
                }
                v = PyOps.getattr(v, rest.substring(i + 1, e));
                i = e;
            } else {
                int e = rest.indexOf(']', i);
                String key = rest.substring(i + 1, e);
                Object k = key.chars().allMatch(Character::isDigit) && !key.isEmpty() ? (Object) Long.parseLong(key) : key;
                v = PyOps.getitem(v, k);
                i = e + 1;
            }
        }
        return v;
    }
}
