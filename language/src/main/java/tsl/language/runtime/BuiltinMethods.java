package tsl.language.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Methods of Python's built-in types (str, list, tuple, dict, set), bound to their receiver. */
public final class BuiltinMethods {
    private BuiltinMethods() {}

    private static BuiltinFunction m(String name, BuiltinFunction.Impl impl) {
        return new BuiltinFunction(name, impl);
    }

    private static Object arg(List<Object> a, int i, Object dflt) {
        return i < a.size() ? a.get(i) : dflt;
    }

    public static Object lookup(Object o, String name) {
        if (o instanceof String s) {
            return stringMethod(s, name);
        }
        if (o instanceof PyList l) {
            return listMethod(l, name);
        }
        if (o instanceof PyTuple t) {
            return switch (name) {
                case "index" -> m(name, (a, k) -> (long) indexOf(t.asList(), a.get(0)));
                case "count" -> m(name, (a, k) -> count(t.asList(), a.get(0)));
                default -> null;
            };
        }
        if (o instanceof PyDict d) {
            return dictMethod(d, name);
        }
        if (o instanceof PySet s) {
            return switch (name) {
                case "add" -> m(name, (a, k) -> { s.add(a.get(0)); return PyNone.NONE; });
                case "discard", "remove" -> m(name, (a, k) -> {
                    if (!s.items.remove(new PyDict.Key(a.get(0))) && name.equals("remove")) {
                        throw TslError.of("KeyError", PyStr.repr(a.get(0)));
                    }
                    return PyNone.NONE;
                });
                case "update" -> m(name, (a, k) -> { PyOps.iterate(a.get(0)).forEachRemaining(s::add); return PyNone.NONE; });
                default -> null;
            };
        }
        if (o instanceof Double d) {
            return switch (name) {
                case "is_integer" -> m(name, (a, k) -> d == Math.rint(d) && !Double.isInfinite(d));
                case "real" -> d;
                case "imag" -> 0.0;
                default -> null;
            };
        }
        if (o instanceof PyIterator) {
            return null;
        }
        return null;
    }

    private static int indexOf(List<Object> items, Object x) {
        for (int i = 0; i < items.size(); i++) {
            if (PyOps.eq(items.get(i), x)) {
                return i;
            }
        }
        throw TslError.of("ValueError", PyStr.repr(x) + " is not in list");
    }

    private static long count(List<Object> items, Object x) {
        long n = 0;
        for (Object o : items) {
            if (PyOps.eq(o, x)) {
                n++;
            }
        }
        return n;
    }

    private static Object listMethod(PyList l, String name) {
        return switch (name) {
            case "append" -> m(name, (a, k) -> { l.items.add(a.get(0)); return PyNone.NONE; });
            case "extend" -> m(name, (a, k) -> { l.items.addAll(PyOps.toList(a.get(0))); return PyNone.NONE; });
            case "insert" -> m(name, (a, k) -> {
                int i = PyOps.toIndex(a.get(0));
                int n = l.items.size();
                int j = i < 0 ? Math.max(0, i + n) : Math.min(i, n);
                l.items.add(j, a.get(1));
                return PyNone.NONE;
            });
            case "pop" -> m(name, (a, k) -> {
                if (l.items.isEmpty()) {
                    throw TslError.of("IndexError", "pop from empty list");
                }
                int i = a.isEmpty() ? l.items.size() - 1 : PyOps.toIndex(a.get(0));
                int j = i < 0 ? i + l.items.size() : i;
                if (j < 0 || j >= l.items.size()) {
                    throw TslError.of("IndexError", "pop index out of range");
                }
                return l.items.remove(j);
            });
            case "remove" -> m(name, (a, k) -> { l.items.remove(indexOf(l.items, a.get(0))); return PyNone.NONE; });
            case "index" -> m(name, (a, k) -> (long) indexOf(l.items, a.get(0)));
            case "count" -> m(name, (a, k) -> count(l.items, a.get(0)));
            case "reverse" -> m(name, (a, k) -> { Collections.reverse(l.items); return PyNone.NONE; });
            case "clear" -> m(name, (a, k) -> { l.items.clear(); return PyNone.NONE; });
            case "copy" -> m(name, (a, k) -> new PyList(l.items));
            case "sort" -> m(name, (a, k) -> {
                List<Object> sorted = Sorting.sorted(l.items, k.get("key"), PyOps.isTrue(k.getOrDefault("reverse", false)));
                l.items.clear();
                l.items.addAll(sorted);
                return PyNone.NONE;
            });
            default -> null;
        };
    }

    private static Object dictMethod(PyDict d, String name) {
        return switch (name) {
            case "get" -> m(name, (a, k) -> {
                Object v = d.get(a.get(0));
                return v != null ? v : arg(a, 1, PyNone.NONE);
            });
            case "keys" -> m(name, (a, k) -> new PyList(d.keys()));
            case "values" -> m(name, (a, k) -> new PyList(d.values()));
            case "items" -> m(name, (a, k) -> {
                List<Object> out = new ArrayList<>();
                for (var e : d.entries()) {
                    out.add(PyTuple.of(e.getKey().value(), e.getValue()));
                }
                return new PyList(out);
            });
            case "pop" -> m(name, (a, k) -> {
                Object v = d.remove(a.get(0));
                if (v == null) {
                    if (a.size() > 1) {
                        return a.get(1);
                    }
                    throw TslError.of("KeyError", PyStr.repr(a.get(0)));
                }
                return v;
            });
            case "setdefault" -> m(name, (a, k) -> {
                Object v = d.get(a.get(0));
                if (v == null) {
                    v = arg(a, 1, PyNone.NONE);
                    d.put(a.get(0), v);
                }
                return v;
            });
            case "update" -> m(name, (a, k) -> {
                if (!a.isEmpty()) {
                    if (a.get(0) instanceof PyDict other) {
                        for (var e : other.entries()) {
                            d.put(e.getKey().value(), e.getValue());
                        }
                    } else {
                        for (Object pair : PyOps.toList(a.get(0))) {
                            List<Object> kv = PyOps.toList(pair);
                            d.put(kv.get(0), kv.get(1));
                        }
                    }
                }
                for (Map.Entry<String, Object> e : k.entrySet()) {
                    d.put(e.getKey(), e.getValue());
                }
                return PyNone.NONE;
            });
            case "copy" -> m(name, (a, k) -> {
                PyDict c = new PyDict();
                for (var e : d.entries()) {
                    c.put(e.getKey().value(), e.getValue());
                }
                return c;
            });
            case "clear" -> m(name, (a, k) -> { d.clear(); return PyNone.NONE; });
            default -> null;
        };
    }

    private static Object stringMethod(String s, String name) {
        return switch (name) {
            case "format" -> m(name, (a, k) -> StrFormat.format(s, a, k));
            case "join" -> m(name, (a, k) -> {
                List<String> parts = new ArrayList<>();
                for (Object o : PyOps.toList(a.get(0))) {
                    if (!(o instanceof String p)) {
                        throw TslError.of("TypeError", "sequence item " + parts.size() + ": expected str instance, " + PyOps.typeName(o) + " found");
                    }
                    parts.add(p);
                }
                return String.join(s, parts);
            });
            case "split" -> m(name, (a, k) -> {
                Object sep = arg(a, 0, k.getOrDefault("sep", PyNone.NONE));
                long max = Arith.toLong(arg(a, 1, k.getOrDefault("maxsplit", -1L)));
                List<Object> out = new ArrayList<>();
                if (sep == PyNone.NONE) {
                    String t = s.strip();
                    if (t.isEmpty()) {
                        return new PyList();
                    }
                    for (String p : t.split("\\s+", max < 0 ? -1 : (int) max + 1)) {
                        out.add(p);
                    }
                } else {
                    String sp = (String) sep;
                    if (sp.isEmpty()) {
                        throw TslError.of("ValueError", "empty separator");
                    }
                    for (String p : s.split(java.util.regex.Pattern.quote(sp), max < 0 ? -1 : (int) max + 1)) {
                        out.add(p);
                    }
                }
                return new PyList(out);
            });
            case "strip" -> m(name, (a, k) -> a.isEmpty() || a.get(0) == PyNone.NONE ? s.strip() : stripChars(s, (String) a.get(0), true, true));
            case "lstrip" -> m(name, (a, k) -> a.isEmpty() ? s.stripLeading() : stripChars(s, (String) a.get(0), true, false));
            case "rstrip" -> m(name, (a, k) -> a.isEmpty() ? s.stripTrailing() : stripChars(s, (String) a.get(0), false, true));
            case "upper" -> m(name, (a, k) -> s.toUpperCase());
            case "lower" -> m(name, (a, k) -> s.toLowerCase());
            case "title" -> m(name, (a, k) -> {
                StringBuilder sb = new StringBuilder();
                boolean prevLetter = false;
                for (char c : s.toCharArray()) {
                    sb.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
                    prevLetter = Character.isLetter(c);
                }
                return sb.toString();
            });
            case "capitalize" -> m(name, (a, k) -> s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase());
            case "replace" -> m(name, (a, k) -> s.replace((String) a.get(0), (String) a.get(1)));
            case "startswith" -> m(name, (a, k) -> a.get(0) instanceof PyTuple t ? t.asList().stream().anyMatch(p -> s.startsWith((String) p)) : s.startsWith((String) a.get(0)));
            case "endswith" -> m(name, (a, k) -> a.get(0) instanceof PyTuple t ? t.asList().stream().anyMatch(p -> s.endsWith((String) p)) : s.endsWith((String) a.get(0)));
            case "find" -> m(name, (a, k) -> (long) s.indexOf((String) a.get(0)));
            case "rfind" -> m(name, (a, k) -> (long) s.lastIndexOf((String) a.get(0)));
            case "index" -> m(name, (a, k) -> {
                int i = s.indexOf((String) a.get(0));
                if (i < 0) {
                    throw TslError.of("ValueError", "substring not found");
                }
                return (long) i;
            });
            case "count" -> m(name, (a, k) -> {
                String sub = (String) a.get(0);
                if (sub.isEmpty()) {
                    return (long) s.length() + 1;
                }
                long n = 0;
                for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
                    n++;
                }
                return n;
            });
            case "isdigit" -> m(name, (a, k) -> !s.isEmpty() && s.chars().allMatch(Character::isDigit));
            case "isalpha" -> m(name, (a, k) -> !s.isEmpty() && s.chars().allMatch(Character::isLetter));
            case "isalnum" -> m(name, (a, k) -> !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit));
            case "isspace" -> m(name, (a, k) -> !s.isEmpty() && s.chars().allMatch(Character::isWhitespace));
            case "isupper" -> m(name, (a, k) -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase()));
            case "islower" -> m(name, (a, k) -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase()));
            case "ljust" -> m(name, (a, k) -> justify(s, a, 'l'));
            case "rjust" -> m(name, (a, k) -> justify(s, a, 'r'));
            case "center" -> m(name, (a, k) -> justify(s, a, 'c'));
            case "zfill" -> m(name, (a, k) -> {
                int w = PyOps.toIndex(a.get(0));
                if (s.length() >= w) {
                    return s;
                }
                int signLen = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
                return s.substring(0, signLen) + "0".repeat(w - s.length()) + s.substring(signLen);
            });
            case "splitlines" -> m(name, (a, k) -> {
                List<Object> out = new ArrayList<>();
                for (String p : s.split("\r\n|\r|\n", -1)) {
                    out.add(p);
                }
                if (!out.isEmpty() && ((String) out.get(out.size() - 1)).isEmpty()) {
                    out.remove(out.size() - 1);
                }
                return new PyList(out);
            });
            case "encode" -> m(name, (a, k) -> s);
            default -> null;
        };
    }

    private static String justify(String s, List<Object> a, char how) {
        int w = PyOps.toIndex(a.get(0));
        String fill = a.size() > 1 ? (String) a.get(1) : " ";
        int n = w - s.length();
        if (n <= 0) {
            return s;
        }
        return switch (how) {
            case 'l' -> s + fill.repeat(n);
            case 'r' -> fill.repeat(n) + s;
            default -> {
                int left = n / 2 + (n & w & 1);
                yield fill.repeat(left) + s + fill.repeat(n - left);
            }
        };
    }

    private static String stripChars(String s, String chars, boolean left, boolean right) {
        int b = 0;
        int e = s.length();
        while (left && b < e && chars.indexOf(s.charAt(b)) >= 0) {
            b++;
        }
        while (right && e > b && chars.indexOf(s.charAt(e - 1)) >= 0) {
            e--;
        }
        return s.substring(b, e);
    }
}
