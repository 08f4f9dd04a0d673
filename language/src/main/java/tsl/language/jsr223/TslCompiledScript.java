package tsl.language.jsr223;

import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;

import org.graalvm.polyglot.Source;

/**
 * A script parsed once. Evaluating it with fresh bindings from many threads at once is safe
 * and parallel (each Bindings has its own context); the parsed code is shared through the
 * polyglot engine, so no evaluation parses again.
 */
final class TslCompiledScript extends CompiledScript {
    private final TslScriptEngine engine;
    private final Source source;

    TslCompiledScript(TslScriptEngine engine, Source source) {
        this.engine = engine;
        this.source = source;
    }

    @Override
    public Object eval(ScriptContext context) throws ScriptException {
        return engine.run(source, context);
    }

    @Override
    public ScriptEngine getEngine() {
        return engine;
    }
}
