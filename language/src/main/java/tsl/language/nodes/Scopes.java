package tsl.language.nodes;

import com.oracle.truffle.api.frame.Frame;
import com.oracle.truffle.api.frame.MaterializedFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.source.SourceSection;

/** Lexical scoping: a function's frame holds its defining frame in argument 0. */
public final class Scopes {
    private Scopes() {}

    @ExplodeLoop
    public static Frame enclosing(Frame frame, int depth) {
        Frame f = frame;
        for (int i = 0; i < depth; i++) {
            f = (MaterializedFrame) f.getArguments()[0];
        }
        return f;
    }

    /** One line of a Python traceback for a call site. */
    public static String tracebackEntry(SourceSection s, String function) {
        String line = s.getSource().getCharacters(s.getStartLine()).toString().strip();
        return "  File \"" + s.getSource().getName() + "\", line " + s.getStartLine() + ", in " + function + "\n    " + line;
    }
}
