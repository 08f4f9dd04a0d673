package tsl.language.runtime;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.source.SourceSection;

/**
 * A Python exception in flight. It carries the exception instance (so {@code except
 * ValueError as e} works), the source section where it was raised (filled in by the first
 * node that sees it) and the traceback of TSL frames it crossed.
 */
@com.oracle.truffle.api.library.ExportLibrary(com.oracle.truffle.api.interop.InteropLibrary.class)
public final class TslError extends AbstractTruffleException {
    public final PyInstance exception;
    private SourceSection section;
    private String lineOverride;
    private final List<String> traceback = new ArrayList<>();

    public TslError(PyInstance exception) {
        super((String) null);
        this.exception = exception;
    }

    @TruffleBoundary
    public static TslError of(String className, String message) {
        PyInstance inst = new PyInstance(ExceptionClasses.get(className));
        inst.attrs.put("args", PyTuple.of(message));
        return new TslError(inst);
    }

    public String className() {
        return exception.cls.name;
    }

    public String message() {
        return exception.exceptionMessage();
    }

    public SourceSection section() {
        return section;
    }

    /** Records where the error happened, if nothing more precise was recorded yet. */
    public TslError at(SourceSection s) {
        if (section == null && s != null) {
            section = s;
        }
        return this;
    }

    /** A location outside the Truffle AST (a graph node's script line), as file:line:col text. */
    public void setLocationText(String text) {
        if (section == null && lineOverride == null) {
            lineOverride = text;
        }
    }

    public String locationText() {
        if (section != null) {
            return section.getSource().getName() + ":" + section.getStartLine() + ":" + section.getStartColumn();
        }
        return lineOverride;
    }

    @TruffleBoundary
    public void addTraceback(String entry) {
        traceback.add(entry);
    }

    public List<String> traceback() {
        return traceback;
    }

    /** The report a user sees: the traceback, file:line:col, the exception and the source line with a caret. */
    @Override
    @TruffleBoundary
    public String getMessage() {
        StringBuilder sb = new StringBuilder();
        if (!traceback.isEmpty()) {
            sb.append("Traceback (most recent call last):\n");
            for (int i = traceback.size() - 1; i >= 0; i--) {
                sb.append(traceback.get(i)).append('\n');
            }
        }
        String loc = locationText();
        if (loc != null) {
            sb.append(loc).append(": ");
        }
        sb.append(summary());
        if (section != null && section.getSource().hasCharacters() && section.getStartLine() <= section.getSource().getLineCount()) {
            String line = section.getSource().getCharacters(section.getStartLine()).toString();
            sb.append('\n').append(line).append('\n').append(" ".repeat(Math.max(0, section.getStartColumn() - 1))).append('^');
        }
        return sb.toString();
    }

    /** Python's "ClassName: message" line. */
    public String summary() {
        String m = message();
        return m.isEmpty() ? className() : className() + ": " + m;
    }

    // ---------------------------------------------------------------- interop: SystemExit is an exit

    private boolean isSystemExit() {
        return exception.cls.name.equals("SystemExit");
    }

    @com.oracle.truffle.api.library.ExportMessage
    com.oracle.truffle.api.interop.ExceptionType getExceptionType() {
        if (isSystemExit()) {
            return com.oracle.truffle.api.interop.ExceptionType.EXIT;
        }
        return isSyntaxError() ? com.oracle.truffle.api.interop.ExceptionType.PARSE_ERROR
                : com.oracle.truffle.api.interop.ExceptionType.RUNTIME_ERROR;
    }

    private boolean isSyntaxError() {
        String c = exception.cls.name;
        return c.equals("SyntaxError") || c.equals("IndentationError");
    }

    /** The source ended inside a statement: a prompt reads another line instead of reporting it. */
    @com.oracle.truffle.api.library.ExportMessage
    @TruffleBoundary
    boolean isExceptionIncompleteSource() {
        return isSyntaxError() && message().startsWith("unexpected EOF");
    }

    @com.oracle.truffle.api.library.ExportMessage
    boolean hasSourceLocation() {
        return section != null && section.isAvailable();
    }

    @com.oracle.truffle.api.library.ExportMessage(name = "getSourceLocation")
    SourceSection sourceLocation() throws com.oracle.truffle.api.interop.UnsupportedMessageException {
        if (!hasSourceLocation()) {
            throw com.oracle.truffle.api.interop.UnsupportedMessageException.create();
        }
        return section;
    }

    /** Python's rule: exit(None) is 0, exit(n) is n, anything else is printed and gives 1. */
    @com.oracle.truffle.api.library.ExportMessage
    @TruffleBoundary
    int getExceptionExitStatus() throws com.oracle.truffle.api.interop.UnsupportedMessageException {
        if (!isSystemExit()) {
            throw com.oracle.truffle.api.interop.UnsupportedMessageException.create();
        }
        Object code = exception.attrs.get("code");
        if (code == null || code == PyNone.NONE) {
            return 0;
        }
        if (code instanceof Long l) {
            return (int) (long) l;
        }
        if (code instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return 1;
    }
}
