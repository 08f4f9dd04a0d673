package tsl.language.nodes;

import java.util.Iterator;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ControlFlowException;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.source.SourceSection;

import tsl.graph.SourceLocation;
import tsl.graph.TslException;
import tsl.language.runtime.Interop;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.TslError;

/**
 * Base of every TSL AST node: evaluates to a value (statements return null) and knows its
 * source section, which becomes the file:line:col of errors and the source line of graph
 * nodes built while it runs.
 */
public abstract class TslNode extends Node {
    private SourceSection section;
    @CompilerDirectives.CompilationFinal private SourceLocation location;

    public abstract Object execute(VirtualFrame frame);

    public void setSection(SourceSection s) {
        this.section = s;
    }

    @Override
    public SourceSection getSourceSection() {
        return section;
    }

    /** The graph-level location of this node (file, line, column and the source line). */
    protected SourceLocation location() {
        if (location == null) {
            CompilerDirectives.transferToInterpreterAndInvalidate();
            location = makeLocation();
        }
        return location;
    }

    @TruffleBoundary
    private SourceLocation makeLocation() {
        if (section == null) {
            return null;
        }
        String line = section.getSource().getCharacters(section.getStartLine()).toString();
        return new SourceLocation(section.getSource().getName(), section.getStartLine(), section.getStartColumn(), line);
    }

    /** Python truth of a value, with a failure (an ambiguous array's truth) located here. */
    protected final boolean truthy(Object o) {
        if (o instanceof Boolean b) {
            return b;
        }
        try {
            return PyOps.isTrue(o);
        } catch (Throwable t) {
            throw located(t);
        }
    }

    /** iter(o), with a failure (a non-iterable) located here. */
    protected final Iterator<Object> iterator(Object o) {
        try {
            return PyOps.iterate(o);
        } catch (Throwable t) {
            throw located(t);
        }
    }

    @TruffleBoundary
    protected static boolean hasNext(Iterator<Object> it) {
        return it.hasNext();
    }

    @TruffleBoundary
    protected static Object next(Iterator<Object> it) {
        return it.next();
    }

    /** Turns any failure inside this node into a Python exception located here. */
    @TruffleBoundary
    protected RuntimeException located(Throwable t) {
        if (t instanceof ControlFlowException cf) {
            return cf;
        }
        if (t instanceof TslError e) {
            return e.at(section);
        }
        if (t instanceof TslException e) {
            TslError err = Interop.toError(e);
            return err.at(section);
        }
        if (t instanceof StackOverflowError) {
            return TslError.of("RecursionError", "maximum recursion depth exceeded").at(section);
        }
        if (t instanceof ArithmeticException) {
            return TslError.of("ZeroDivisionError", String.valueOf(t.getMessage())).at(section);
        }
        if (t instanceof tsl.tensor.ArrayMemoryError || t instanceof OutOfMemoryError) {
            return TslError.of("MemoryError", t instanceof OutOfMemoryError ? "out of memory (" + t.getMessage() + ")"
                    : t.getMessage()).at(section);
        }
        if (t instanceof IndexOutOfBoundsException) {
            return TslError.of("IndexError", String.valueOf(t.getMessage())).at(section);
        }
        if (t instanceof ClassCastException) {
            return TslError.of("TypeError", "unsupported operand type: " + t.getMessage()).at(section);
        }
        if (t instanceof IllegalArgumentException) {
            return TslError.of("ValueError", String.valueOf(t.getMessage())).at(section);
        }
        if (t instanceof RuntimeException r && r instanceof com.oracle.truffle.api.exception.AbstractTruffleException) {
            return r;
        }
        return TslError.of("RuntimeError", "internal error: " + t).at(section);
    }
}
