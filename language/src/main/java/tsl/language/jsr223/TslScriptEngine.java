package tsl.language.jsr223;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;

import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * A javax.script engine over one polyglot context. Script output goes to the ScriptContext's
 * writer. Binding values in and out of the engine scope is not supported yet (issue: embedding).
 */
public final class TslScriptEngine extends AbstractScriptEngine {
    private final ScriptEngineFactory factory;
    private Context context;
    private final ForwardingStream out = new ForwardingStream();

    TslScriptEngine(ScriptEngineFactory factory) {
        this.factory = factory;
    }

    private synchronized Context context() {
        if (context == null) {
            // Truffle finds languages through the thread's context class loader: make it ours
            Thread t = Thread.currentThread();
            ClassLoader prev = t.getContextClassLoader();
            t.setContextClassLoader(TslScriptEngine.class.getClassLoader());
            try {
                context = Context.newBuilder("tsl").out(out).err(out).build();
            } finally {
                t.setContextClassLoader(prev);
            }
        }
        return context;
    }

    @Override
    public Object eval(String script, ScriptContext ctx) throws ScriptException {
        Object file = ctx.getAttribute(FILENAME);
        String name = file != null ? file.toString() : "<eval>";
        out.target = ctx.getWriter();
        try {
            context().eval(Source.newBuilder("tsl", script, name).buildLiteral());
            return null;
        } catch (PolyglotException e) {
            int line = e.getSourceLocation() != null ? e.getSourceLocation().getStartLine() : -1;
            int col = e.getSourceLocation() != null ? e.getSourceLocation().getStartColumn() : -1;
            throw new ScriptException(e.getMessage(), name, line, col);
        } finally {
            try {
                ctx.getWriter().flush();
            } catch (IOException ignored) {
                // the host's writer is the host's business
            }
        }
    }

    @Override
    public Object eval(Reader reader, ScriptContext ctx) throws ScriptException {
        StringWriter w = new StringWriter();
        try {
            reader.transferTo(w);
        } catch (IOException e) {
            throw new ScriptException(e);
        }
        return eval(w.toString(), ctx);
    }

    @Override
    public Bindings createBindings() {
        return new SimpleBindings();
    }

    @Override
    public ScriptEngineFactory getFactory() {
        return factory;
    }

    /** Bytes from the polyglot context to whichever Writer the current ScriptContext has. */
    private static final class ForwardingStream extends OutputStream {
        volatile Writer target;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Writer w = target;
            if (w != null) {
                w.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        @Override
        public void flush() throws IOException {
            Writer w = target;
            if (w != null) {
                w.flush();
            }
        }
    }
}
