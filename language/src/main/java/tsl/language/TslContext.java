package tsl.language;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.TruffleFile;
import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;

import tsl.language.builtins.Builtins;
import tsl.language.builtins.Modules;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.TslError;

/** The state of one TSL context: the main module, builtins, loaded modules and the output stream. */
public final class TslContext {
    private static final TruffleLanguage.ContextReference<TslContext> REFERENCE =
            TruffleLanguage.ContextReference.create(TslLanguage.class);

    private final TslLanguage language;
    private final TruffleLanguage.Env env;
    private final PyModule main = new PyModule("__main__");
    private final Map<String, Object> builtins;
    private final Map<String, PyModule> modules = new HashMap<>();
    private final PrintStream out;
    private final PrintStream err;

    TslContext(TslLanguage language, TruffleLanguage.Env env) {
        this.language = language;
        this.env = env;
        this.out = new PrintStream(env.out(), false, java.nio.charset.StandardCharsets.UTF_8);
        this.err = new PrintStream(env.err(), true, java.nio.charset.StandardCharsets.UTF_8);
        this.builtins = Builtins.create(this);
        modules.put("__main__", main);
    }

    public static TslContext get(Node node) {
        return REFERENCE.get(node);
    }

    public PyModule mainModule() { return main; }

    /** A loaded module by name (the namespace that shared code of that module reads and writes). */
    @TruffleBoundary
    public PyModule module(String name) {
        PyModule m = modules.get(name);
        if (m == null) {
            throw TslError.of("ImportError", "module '" + name + "' is not loaded in this context");
        }
        return m;
    }
    public Map<String, Object> builtins() { return builtins; }
    public PrintStream out() { return out; }
    public PrintStream err() { return err; }
    public TruffleLanguage.Env env() { return env; }

    /** Imports a built-in module or a .tsl file beside the main script. */
    @TruffleBoundary
    public PyModule importModule(String name, SourceSection from) {
        PyModule m = modules.get(name);
        if (m != null) {
            return m;
        }
        m = name.equals(tsl.language.interop.EmbedModule.NAME) ? tsl.language.interop.EmbedModule.create(this) : Modules.create(name, this);
        if (m == null) {
            m = importFile(name, from);
        }
        if (m == null) {
            throw TslError.of("ModuleNotFoundError", "No module named '" + name + "'");
        }
        modules.put(name, m);
        return m;
    }

    private PyModule importFile(String name, SourceSection from) {
        if (from == null || from.getSource().getPath() == null || !env.isFileIOAllowed()) {
            return null;
        }
        try {
            TruffleFile script = env.getPublicTruffleFile(from.getSource().getPath());
            TruffleFile dir = script.getParent();
            if (dir == null) {
                return null;
            }
            TruffleFile file = dir.resolve(name.replace('.', '/') + ".tsl");
            if (!file.exists()) {
                return null;
            }
            Source src = Source.newBuilder(TslLanguage.ID, file).build();
            PyModule module = new PyModule(name);
            modules.put(name, module);
            CallTarget target = language.parseModule(src, name);
            target.call();
            return module;
        } catch (java.io.IOException | SecurityException e) {
            return null;
        }
    }
}
