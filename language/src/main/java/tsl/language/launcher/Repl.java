package tsl.language.launcher;

import java.io.IOException;
import java.io.PrintStream;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * The interactive prompt, as Python's: {@code >>>} for a new statement, {@code ...} while a
 * statement is unfinished (an open bracket, a block header ending in ':' until a blank line);
 * an expression's value is echoed with repr(); an error is reported and the session goes on.
 */
final class Repl {
    static final String PS1 = ">>> ";
    static final String PS2 = "... ";

    private final Context context;
    private final LineSource lines;
    private final PrintStream out;
    private final PrintStream err;

    Repl(Context context, LineSource lines, PrintStream out, PrintStream err) {
        this.context = context;
        this.lines = lines;
        this.out = out;
        this.err = err;
    }

    /** Runs until end of input (status 0) or sys.exit (its status). */
    int run() throws IOException {
        // Ctrl-C while a statement runs stops it (at the next call or loop iteration of the
        // script; a long operation inside one backend call finishes first)
        lines.onInterrupt(() -> {
            Thread stopper = new Thread(() -> {
                try {
                    context.interrupt(java.time.Duration.ofSeconds(10));
                } catch (java.util.concurrent.TimeoutException e) {
                    err.println("tsl: the running statement did not stop");
                }
            }, "tsl-interrupt");
            stopper.setDaemon(true);
            stopper.start();
        });
        StringBuilder buffer = new StringBuilder();
        boolean block = false;
        while (true) {
            String line;
            try {
                line = lines.readLine(buffer.isEmpty() ? PS1 : PS2);
            } catch (LineSource.Interrupted e) {
                err.println("KeyboardInterrupt");
                buffer.setLength(0);
                block = false;
                continue;
            }
            if (line == null) {
                if (!buffer.isEmpty()) {
                    Integer status = evaluate(buffer.toString());
                    if (status != null) {
                        return status;
                    }
                }
                return 0;
            }
            if (buffer.isEmpty() && line.isBlank()) {
                continue;
            }
            buffer.append(line).append('\n');
            if (buffer.length() == line.length() + 1) {
                block = opensBlock(line);
            }
            if (block ? !line.isBlank() : incomplete(buffer.toString())) {
                continue;
            }
            Integer status = evaluate(buffer.toString());
            buffer.setLength(0);
            block = false;
            if (status != null) {
                return status;
            }
        }
    }

    /** A header line (if/for/def/class/with...) ends with ':': its block ends at a blank line. */
    private static boolean opensBlock(String line) {
        String code = line.strip();
        int hash = code.indexOf('#');
        if (hash >= 0 && !code.substring(0, hash).contains("'") && !code.substring(0, hash).contains("\"")) {
            code = code.substring(0, hash).strip();
        }
        return code.endsWith(":") || code.endsWith("\\");
    }

    private boolean incomplete(String code) {
        if (Brackets.unclosed(code)) {
            return true;
        }
        try {
            context.parse(source(code));
            return false;
        } catch (PolyglotException e) {
            return e.isIncompleteSource();
        }
    }

    private static Source source(String code) {
        return Source.newBuilder("tsl", code, "<stdin>").mimeType(tsl.language.TslLanguage.PROMPT_MIME).buildLiteral();
    }

    /** Evaluates one statement; null to go on, or the exit status when the script called sys.exit. */
    private Integer evaluate(String code) {
        try {
            context.eval(source(code));
            return null;
        } catch (PolyglotException e) {
            out.flush();
            if (e.isExit()) {
                return e.getExitStatus();
            }
            if (e.isInterrupted()) {
                err.println("KeyboardInterrupt");
                return null;
            }
            if (e.isInternalError()) {
                err.println("tsl: internal error: " + e.getMessage());
            } else {
                err.println(e.getMessage());
            }
            return null;
        } finally {
            out.flush();
        }
    }
}
