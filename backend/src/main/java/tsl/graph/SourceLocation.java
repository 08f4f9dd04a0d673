package tsl.graph;

/**
 * Where in a script an expression was written. The language sets the current location
 * while it builds graph nodes, so every {@link Apply} remembers the line that created it
 * and errors raised when the compiled function runs can point at that line.
 */
public record SourceLocation(String file, int line, int column, String sourceLine) {
    private static final ThreadLocal<SourceLocation> CURRENT = new ThreadLocal<>();

    public static SourceLocation current() {
        return CURRENT.get();
    }

    /** Sets the current location and returns the previous one, for restoring. */
    public static SourceLocation enter(SourceLocation loc) {
        SourceLocation prev = CURRENT.get();
        CURRENT.set(loc);
        return prev;
    }

    public static void exit(SourceLocation prev) {
        CURRENT.set(prev);
    }

    /** {@code file:line:col}. */
    public String prefix() {
        return file + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return prefix();
    }
}
