package tsl.language.jsr223;

import javax.script.ScriptContext;
import javax.script.SimpleBindings;

/**
 * Engine-scope bindings made by {@link TslScriptEngine#createBindings()}: a plain map for the
 * host, plus the polyglot context that the scripts evaluated against it run in (made on first
 * use, so fresh bindings per request cost nothing until a script runs).
 */
final class TslBindings extends SimpleBindings {
    private ScriptRuntime runtime;

    synchronized ScriptRuntime runtime(ScriptContext sc) {
        if (runtime == null) {
            runtime = new ScriptRuntime(sc);
        }
        return runtime;
    }
}
