package tsl.language.jsr223;

import java.util.List;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;

/** Registers TSL with javax.script: found by name "tsl", extension "tsl" and MIME type application/x-tsl. */
public final class TslScriptEngineFactory implements ScriptEngineFactory {
    @Override public String getEngineName() { return "TSL"; }
    @Override public String getEngineVersion() { return "0.1.0"; }
    @Override public List<String> getExtensions() { return List.of("tsl"); }
    @Override public List<String> getMimeTypes() { return List.of("application/x-tsl"); }
    @Override public List<String> getNames() { return List.of("tsl", "TSL"); }
    @Override public String getLanguageName() { return "TSL"; }
    @Override public String getLanguageVersion() { return "0.1.0"; }

    @Override
    public Object getParameter(String key) {
        return switch (key) {
            case ScriptEngine.ENGINE -> getEngineName();
            case ScriptEngine.ENGINE_VERSION -> getEngineVersion();
            case ScriptEngine.NAME -> "tsl";
            case ScriptEngine.LANGUAGE -> getLanguageName();
            case ScriptEngine.LANGUAGE_VERSION -> getLanguageVersion();
            // one engine must not be used by two threads at once (its context is single-threaded)
            case "THREADING" -> null;
            default -> null;
        };
    }

    @Override
    public String getMethodCallSyntax(String obj, String m, String... args) {
        return obj + "." + m + "(" + String.join(", ", args) + ")";
    }

    @Override
    public String getOutputStatement(String toDisplay) {
        return "print(" + toDisplay + ")";
    }

    @Override
    public String getProgram(String... statements) {
        return String.join("\n", statements) + "\n";
    }

    @Override
    public ScriptEngine getScriptEngine() {
        return new TslScriptEngine(this);
    }
}
