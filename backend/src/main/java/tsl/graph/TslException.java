package tsl.graph;

/**
 * An error a user can cause, carrying the Python exception class a Theano user would see
 * ({@code ValueError}, {@code TypeError}, ...) and, when known, the script location.
 */
public class TslException extends RuntimeException {
    private final String pythonType;
    private final SourceLocation location;

    public TslException(String pythonType, String message) {
        this(pythonType, message, SourceLocation.current(), null);
    }

    public TslException(String pythonType, String message, SourceLocation location, Throwable cause) {
        super(message, cause);
        this.pythonType = pythonType;
        this.location = location;
    }

    public String pythonType() { return pythonType; }
    public SourceLocation location() { return location; }

    /** The same error, pointing at {@code loc} if it had no location yet. */
    /**
     * This error as raised while running {@code node} of a compiled function: the message gains
     * the node and the script line that built it (as Theano's "Apply node that caused the
     * error"), since the call site alone does not say which expression failed.
     */
    public TslException inNode(Apply node) {
        SourceLocation loc = node.location();
        String msg = getMessage() + "\nApply node that caused the error: " + node
                + (loc != null ? "\nThe node was built at " + loc.prefix() : "");
        TslException e = new TslException(pythonType, msg, loc != null ? loc : location, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    public TslException at(SourceLocation loc) {
        if (location != null || loc == null) {
            return this;
        }
        TslException e = new TslException(pythonType, getMessage(), loc, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    public static TslException typeError(String msg) { return new TslException("TypeError", msg); }
    public static TslException valueError(String msg) { return new TslException("ValueError", msg); }
    public static TslException indexError(String msg) { return new TslException("IndexError", msg); }
    public static TslException notSupported(String what) {
        return new TslException("NotImplementedError", "not supported yet: " + what);
    }
}
