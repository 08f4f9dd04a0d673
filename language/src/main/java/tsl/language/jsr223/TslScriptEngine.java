package tsl.language.jsr223;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * TSL as a javax.script engine. Each engine-scope Bindings has its own polyglot context
 * (see {@link ScriptRuntime}); all contexts share one polyglot Engine, so a new engine or new
 * bindings cost little and a script parsed once is not parsed again. Bindings carry Java
 * values in and out: numbers, strings, booleans, primitive arrays (nested too) become
 * NDArrays, List and Map become list and dict; after an evaluation the script's globals are in
 * the engine scope as Java values (arrays as NDArray), or as polyglot Values when they have no
 * Java form (functions, symbolic variables).
 */
public final class TslScriptEngine extends AbstractScriptEngine implements Compilable, Invocable {
    /** Where a runtime is kept in Bindings that this engine did not create (Nashorn did the same). */
    static final String RUNTIME_KEY = "tsl.runtime";

    private final ScriptEngineFactory factory;

    TslScriptEngine(ScriptEngineFactory factory) {
        this.factory = factory;
        setBindings(createBindings(), ScriptContext.ENGINE_SCOPE);
    }

    @Override
    public Bindings createBindings() {
        return new TslBindings();
    }

    @Override
    public ScriptEngineFactory getFactory() {
        return factory;
    }

    // ---------------------------------------------------------------- eval and compile

    @Override
    public Object eval(String script, ScriptContext ctx) throws ScriptException {
        return run(source(script, ctx), ctx);
    }

    @Override
    public Object eval(Reader reader, ScriptContext ctx) throws ScriptException {
        return eval(read(reader), ctx);
    }

    @Override
    public CompiledScript compile(String script) throws ScriptException {
        ScriptContext ctx = getContext();
        Source source = source(script, ctx);
        // parse now, so a syntax error is reported by compile() and the parsed code is cached
        withRuntime(ctx.getBindings(ScriptContext.ENGINE_SCOPE), ctx, source.getName(), rt -> {
            rt.parse(source);
            return null;
        });
        return new TslCompiledScript(this, source);
    }

    @Override
    public CompiledScript compile(Reader script) throws ScriptException {
        return compile(read(script));
    }

    Object run(Source source, ScriptContext ctx) throws ScriptException {
        Bindings engine = ctx.getBindings(ScriptContext.ENGINE_SCOPE);
        Bindings global = ctx.getBindings(ScriptContext.GLOBAL_SCOPE);
        return withRuntime(engine, ctx, source.getName(), rt -> {
            rt.writers(ctx);
            rt.syncIn(engine, global);
            try {
                return rt.toHost(rt.eval(source));
            } finally {
                rt.syncOut(engine);
            }
        });
    }

    private static Source source(String script, ScriptContext ctx) {
        Object file = ctx.getAttribute(ScriptEngine.FILENAME);
        if (file != null) {
            // a file-backed source: errors name the file, and (where the host allows IO) the
            // script imports modules from its folder
            try {
                return Source.newBuilder("tsl", new java.io.File(file.toString())).content(script).name(file.toString()).build();
            } catch (IOException | RuntimeException e) {
                return Source.newBuilder("tsl", script, file.toString()).buildLiteral();
            }
        }
        return Source.newBuilder("tsl", script, "<eval>").buildLiteral();
    }

    private static String read(Reader reader) throws ScriptException {
        StringWriter w = new StringWriter();
        try {
            reader.transferTo(w);
        } catch (IOException e) {
            throw new ScriptException(e);
        }
        return w.toString();
    }

    // ---------------------------------------------------------------- Invocable

    @Override
    public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
        ScriptContext ctx = getContext();
        Bindings engine = ctx.getBindings(ScriptContext.ENGINE_SCOPE);
        Object r = withRuntime(engine, ctx, name, rt -> {
            rt.writers(ctx);
            rt.syncIn(engine, ctx.getBindings(ScriptContext.GLOBAL_SCOPE));
            Value f = rt.global(name);
            if (f == null || !f.canExecute()) {
                return NO_SUCH;
            }
            try {
                return rt.toHost(f.execute(args == null ? new Object[0] : args));
            } finally {
                rt.syncOut(engine);
            }
        });
        if (r == NO_SUCH) {
            throw new NoSuchMethodException("no function '" + name + "' in the script's globals");
        }
        return r;
    }

    private static final Object NO_SUCH = new Object();

    @Override
    public Object invokeMethod(Object thiz, String name, Object... args) throws ScriptException, NoSuchMethodException {
        if (!(thiz instanceof Value)) {
            throw new IllegalArgumentException("invokeMethod needs a script object (a Value this engine returned), not " + thiz);
        }
        ScriptContext ctx = getContext();
        Bindings engine = ctx.getBindings(ScriptContext.ENGINE_SCOPE);
        try {
            return withRuntime(engine, ctx, name, rt -> {
                rt.writers(ctx);
                rt.syncIn(engine, ctx.getBindings(ScriptContext.GLOBAL_SCOPE));
                try {
                    return rt.toHost(rt.callMethod(thiz, name, args == null ? new Object[0] : args));
                } finally {
                    rt.syncOut(engine);
                }
            });
        } catch (ScriptException e) {
            if (e.getMessage() != null && e.getMessage().contains("AttributeError")) {
                throw (NoSuchMethodException) new NoSuchMethodException(e.getMessage()).initCause(e);
            }
            throw e;
        }
    }

    @Override
    public <T> T getInterface(Class<T> type) {
        return proxy(type, (m, args) -> invokeFunction(m.getName(), args));
    }

    @Override
    public <T> T getInterface(Object thiz, Class<T> type) {
        if (!(thiz instanceof Value)) {
            throw new IllegalArgumentException("getInterface needs a script object (a Value this engine returned), not " + thiz);
        }
        return proxy(type, (m, args) -> invokeMethod(thiz, m.getName(), args));
    }

    @FunctionalInterface
    private interface Call {
        Object call(Method m, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Call call) {
        if (type == null || !type.isInterface()) {
            throw new IllegalArgumentException("getInterface needs an interface, not " + type);
        }
        Object p = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> "TSL implementation of " + type.getName();
                };
            }
            return unbox(call.call(m, args == null ? new Object[0] : args), m.getReturnType());
        });
        return type.cast(p);
    }

    /** A script result as an interface method's return type (a script's int 3 for a Java int or double). */
    private static Object unbox(Object r, Class<?> want) {
        if (r instanceof Number n) {
            if (want == int.class || want == Integer.class) {
                return n.intValue();
            }
            if (want == double.class || want == Double.class) {
                return n.doubleValue();
            }
            if (want == float.class || want == Float.class) {
                return n.floatValue();
            }
            if (want == long.class || want == Long.class) {
                return n.longValue();
            }
        }
        if (r instanceof tsl.tensor.NDArray a && want == double[].class) {
            return a.toDoubleArray();
        }
        return want == void.class ? null : r;
    }

    // ---------------------------------------------------------------- runtimes and errors

    @FunctionalInterface
    private interface Action {
        Object run(ScriptRuntime rt);
    }

    private Object withRuntime(Bindings engine, ScriptContext ctx, String name, Action action) throws ScriptException {
        ScriptRuntime rt;
        try {
            rt = runtimeFor(engine, ctx);
        } catch (PolyglotException | IllegalArgumentException | IllegalStateException e) {
            throw (ScriptException) new ScriptException("tsl: cannot create a context: " + e.getMessage()).initCause(e);
        }
        rt.lock.lock();
        try {
            return action.run(rt);
        } catch (PolyglotException e) {
            if (e.isExit() && e.getExitStatus() == 0) {
                return null;                      // sys.exit() / sys.exit(0): a normal end
            }
            throw scriptException(e, name);
        } finally {
            rt.flush();
            rt.lock.unlock();
            if (rt.oneUse) {
                rt.close();
            }
        }
    }

    private static ScriptRuntime runtimeFor(Bindings engine, ScriptContext ctx) {
        if (engine instanceof TslBindings tb) {
            return tb.runtime(ctx);
        }
        synchronized (engine) {
            if (engine.get(RUNTIME_KEY) instanceof ScriptRuntime rt) {
                return rt;
            }
            ScriptRuntime rt = new ScriptRuntime(ctx);
            try {
                engine.put(RUNTIME_KEY, rt);
            } catch (UnsupportedOperationException | ClassCastException | IllegalArgumentException e) {
                // read-only bindings (Spring wraps a Map.of(...) in SimpleBindings): there is nowhere to
                // keep the context, so it serves this one call and is closed after it
                rt.oneUse = true;
            }
            return rt;
        }
    }

    static ScriptException scriptException(PolyglotException e, String name) {
        SourceSection s = e.getSourceLocation();
        String file = s != null && s.getSource() != null ? s.getSource().getName() : name;
        int line = s != null ? s.getStartLine() : -1;
        int col = s != null ? s.getStartColumn() : -1;
        String msg = e.isExit() ? "SystemExit: " + e.getExitStatus() : e.getMessage();
        if (e.isHostException()) {
            msg = "host exception: " + e.asHostException();
        }
        ScriptException se = new ScriptException(msg, file, line, col);
        se.initCause(e);
        return se;
    }

}
