package tsl.language.jsr223;

import java.util.List;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;

/** Registers TSL with javax.script: found by name "tsl", extension "tsl" and MIME type application/x-tsl. */
public final class TslScriptEngineFactory implements ScriptEngineFactory {
    @Override public String getEngineName() { return "TSL"; }
    @Override public String getEngineVersion() { return tsl.language.TslLanguage.VERSION; }
    @Override public List<String> getExtensions() { return List.of("tsl"); }
    @Override public List<String> getMimeTypes() { return List.of("application/x-tsl"); }
    @Override public List<String> getNames() { return List.of("tsl", "TSL"); }
    @Override public String getLanguageName() { return "TSL"; }
    @Override public String getLanguageVersion() { return tsl.language.TslLanguage.VERSION; }

    @Override
    public Object getParameter(String key) {
        return switch (key) {
            case ScriptEngine.ENGINE -> getEngineName();
            case ScriptEngine.ENGINE_VERSION -> getEngineVersion();
            case ScriptEngine.NAME -> "tsl";
            case ScriptEngine.LANGUAGE -> getLanguageName();
            case ScriptEngine.LANGUAGE_VERSION -> getLanguageVersion();
            // safe from many threads at once: each engine-scope Bindings has its own context, used
            // under a lock; two threads sharing one Bindings see each other's globals (so not
            // THREAD-ISOLATED), and scripts do change their bindings (so not STATELESS)
            case "THREADING" -> "MULTITHREADED";
            default -> null;
        };
    }

    @Override
    public String getMethodCallSyntax(String obj, String m, String... args) {
        return obj + "." + m + "(" + String.join(", ", args) + ")";
    }

    @Override
    public String getOutputStatement(String toDisplay) {
        StringBuilder sb = new StringBuilder("print('");
        for (char c : toDisplay.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.append("')").toString();
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
