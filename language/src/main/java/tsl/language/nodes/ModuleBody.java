package tsl.language.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;

import tsl.language.TslContext;
import tsl.language.runtime.Interop;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyStr;

/**
 * The statements of a module. Its value is the value of a final expression statement (what an
 * embedder's {@code eval("a + b")} returns); in prompt code (the REPL's MIME type) that value is
 * also echoed with repr() and kept in {@code _}, as Python's prompt does.
 */
public final class ModuleBody extends TslNode {
    @Children private final TslNode[] body;
    private final boolean interactive;

    public ModuleBody(TslNode[] body, boolean interactive) {
        this.body = body;
        this.interactive = interactive;
    }

    @Override
    @ExplodeLoop
    public Object execute(VirtualFrame frame) {
        int last = body.length - 1;
        for (int i = 0; i < last; i++) {
            body[i].execute(frame);
        }
        if (last < 0) {
            return PyNone.NONE;
        }
        if (!(body[last] instanceof Stmts.ExprStmt e)) {
            body[last].execute(frame);
            return PyNone.NONE;
        }
        Object value = e.expr().execute(frame);
        if (interactive) {
            echo(value);
        }
        return Interop.toForeign(value);
    }

    @TruffleBoundary
    private void echo(Object value) {
        if (value == null || value == PyNone.NONE) {
            return;
        }
        TslContext ctx = TslContext.get(this);
        ctx.builtins().put("_", value);
        ctx.out().println(PyStr.repr(value));
    }
}
