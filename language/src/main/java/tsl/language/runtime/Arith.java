package tsl.language.runtime;

import java.math.BigInteger;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

/** Python arithmetic on ints (Long, growing to BigInteger), floats (Double) and bools. */
public final class Arith {
    private Arith() {}

    static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    public static boolean isInt(Object o) {
        return o instanceof Long || o instanceof BigInteger || o instanceof Boolean || o instanceof Integer;
    }

    public static boolean isNumber(Object o) {
        return isInt(o) || o instanceof Double;
    }

    public static BigInteger big(Object o) {
        if (o instanceof BigInteger b) {
            return b;
        }
        return BigInteger.valueOf(toLong(o));
    }

    public static long toLong(Object o) {
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (o instanceof Integer i) {
            return i;
        }
        if (o instanceof BigInteger b) {
            return b.longValue();
        }
        throw new ClassCastException();
    }

    public static double toDouble(Object o) {
        if (o instanceof Double d) {
            return d;
        }
        if (o instanceof BigInteger b) {
            return b.doubleValue();
        }
        return toLong(o);
    }

    /** A BigInteger back to Long when it fits (Python ints have one type). */
    public static Object norm(BigInteger b) {
        if (b.bitLength() < 64) {
            return b.longValue();
        }
        return b;
    }

    /** Integer or float arithmetic for {@code op}; null when the operands are not both numbers. */
    @TruffleBoundary
    public static Object binary(String op, Object a, Object b) {
        if (!isNumber(a) || !isNumber(b)) {
            return null;
        }
        if (a instanceof Double || b instanceof Double) {
            return floatOp(op, toDouble(a), toDouble(b));
        }
        if (op.equals("/")) {
            double y = toDouble(b);
            if (y == 0) {
                throw TslError.of("ZeroDivisionError", "division by zero");
            }
            if (a instanceof BigInteger || b instanceof BigInteger) {
                return new java.math.BigDecimal(big(a)).divide(new java.math.BigDecimal(big(b)), java.math.MathContext.DECIMAL64).doubleValue();
            }
            return toDouble(a) / y;
        }
        if (!(a instanceof BigInteger) && !(b instanceof BigInteger)) {
            long x = toLong(a);
            long y = toLong(b);
            try {
                switch (op) {
                    case "+": return Math.addExact(x, y);
                    case "-": return Math.subtractExact(x, y);
                    case "*": return Math.multiplyExact(x, y);
                    case "//":
                        if (y == 0) {
                            throw TslError.of("ZeroDivisionError", "integer division or modulo by zero");
                        }
                        if (x == Long.MIN_VALUE && y == -1) {
                            break;
                        }
                        return Math.floorDiv(x, y);
                    case "%":
                        if (y == 0) {
                            throw TslError.of("ZeroDivisionError", "integer division or modulo by zero");
                        }
                        return Math.floorMod(x, y);
                    case "&": return x & y;
                    case "|": return x | y;
                    case "^": return x ^ y;
                    case "<<":
                        if (y < 0) {
                            throw TslError.of("ValueError", "negative shift count");
                        }
                        if (y < 63 && Math.abs(x) < (1L << (62 - y))) {
                            return x << y;
                        }
                        break;
                    case ">>":
                        if (y < 0) {
                            throw TslError.of("ValueError", "negative shift count");
                        }
                        return x >> Math.min(y, 63);
                    case "**":
                        if (y < 0) {
                            return Math.pow(x, y);
                        }
                        break;
                    default:
                        return null;
                }
            } catch (ArithmeticException overflow) {
                // fall through to BigInteger
            }
        }
        BigInteger x = big(a);
        BigInteger y = big(b);
        return switch (op) {
            case "+" -> norm(x.add(y));
            case "-" -> norm(x.subtract(y));
            case "*" -> norm(x.multiply(y));
            case "//" -> {
                if (y.signum() == 0) {
                    throw TslError.of("ZeroDivisionError", "integer division or modulo by zero");
                }
                BigInteger[] qr = x.divideAndRemainder(y);
                yield norm(qr[1].signum() != 0 && (qr[1].signum() != y.signum()) ? qr[0].subtract(BigInteger.ONE) : qr[0]);
            }
            case "%" -> {
                if (y.signum() == 0) {
                    throw TslError.of("ZeroDivisionError", "integer division or modulo by zero");
                }
                BigInteger r = x.mod(y.abs());
                yield norm(y.signum() < 0 && r.signum() != 0 ? r.add(y) : r);
            }
            case "&" -> norm(x.and(y));
            case "|" -> norm(x.or(y));
            case "^" -> norm(x.xor(y));
            case "<<" -> norm(x.shiftLeft(y.intValueExact()));
            case ">>" -> norm(x.shiftRight(y.intValueExact()));
            case "**" -> y.signum() < 0 ? Math.pow(x.doubleValue(), y.doubleValue()) : norm(x.pow(y.intValueExact()));
            default -> null;
        };
    }

    private static Object floatOp(String op, double x, double y) {
        switch (op) {
            case "+": return x + y;
            case "-": return x - y;
            case "*": return x * y;
            case "/":
                if (y == 0) {
                    throw TslError.of("ZeroDivisionError", "float division by zero");
                }
                return x / y;
            case "//":
                if (y == 0) {
                    throw TslError.of("ZeroDivisionError", "float floor division by zero");
                }
                return Math.floor(x / y);
            case "%":
                if (y == 0) {
                    throw TslError.of("ZeroDivisionError", "float modulo");
                }
                return tsl.ops.elemwise.ScalarOps.pyMod(x, y);
            case "**":
                if (x == 0 && y < 0) {
                    throw TslError.of("ZeroDivisionError", "0.0 cannot be raised to a negative power");
                }
                return Math.pow(x, y);
            default:
                return null;
        }
    }

    /** Python's comparison of two numbers: -1, 0, 1, or 2 when either is NaN. */
    public static int compare(Object a, Object b) {
        if (a instanceof Double || b instanceof Double) {
            double x = toDouble(a);
            double y = toDouble(b);
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return 2;
            }
            return Double.compare(x == 0 ? 0.0 : x, y == 0 ? 0.0 : y);
        }
        if (a instanceof BigInteger || b instanceof BigInteger) {
            return big(a).compareTo(big(b));
        }
        return Long.compare(toLong(a), toLong(b));
    }
}
