package tsl.language.jsr223;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import javax.script.Bindings;
import javax.script.ScriptContext;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * One polyglot context behind one engine-scope Bindings. A context runs on one thread at a
 * time, so every use holds {@link #lock}; different Bindings have different contexts and run
 * in parallel. The Bindings map is what the host sees; the script's globals are what the
 * script sees; {@link #syncIn} and {@link #syncOut} carry values across before and after
 * each evaluation, converting Java values to TSL values and back.
 */
final class ScriptRuntime {
    /** Opt-ins a host may set as engine-scope (or global-scope) attributes before the first evaluation. */
    static final String ALLOW_HOST_ACCESS = "tsl.allowHostAccess";
    static final String ALLOW_IO = "tsl.allowIO";

    final ReentrantLock lock = new ReentrantLock();
    /** Set when the host's bindings cannot hold this runtime: it is closed after the call that made it. */
    boolean oneUse;
    private final Context context;
    private final Value globals;
    private final Value toJava;
    private final Value callMethod;
    private final Value builtin;
    private final WriterStream out = new WriterStream();
    private final WriterStream err = new WriterStream();
    /** For each global the host has seen: the Java object its binding held after the last sync. */
    private final Map<String, Object> synced = new HashMap<>();
    /** Globals taken from the global scope at the last sync, as Java values. */
    private final Map<String, Object> fromGlobalScope = new HashMap<>();

    /**
     * Held for the life of the class: the engine's parse cache keys sources weakly, so a Source
     * made afresh for every context could be collected between two contexts and parsed again.
     */
    private static final Source EMBED = Source.create("tsl", "import _embed\n(_embed.to_java, _embed.call_method, _embed.builtin)");

    ScriptRuntime(ScriptContext sc) {
        boolean hostAccess = flag(sc, ALLOW_HOST_ACCESS);
        boolean io = flag(sc, ALLOW_IO);
        context = SharedEngine.withOwnLoader(() -> Context.newBuilder("tsl")
                .engine(SharedEngine.get(hostAccess))
                .out(out).err(err)
                .allowHostAccess(hostAccess ? HostAccess.ALL : HostAccess.NONE)
                .allowIO(io ? IOAccess.ALL : IOAccess.NONE)
                .build());
        globals = context.getBindings("tsl");
        Value embed = context.eval(EMBED);
        toJava = embed.getArrayElement(0);
        callMethod = embed.getArrayElement(1);
        builtin = embed.getArrayElement(2);
        globals.removeMember("_embed");
    }

    /**
     * An opt-in from the script context, else from a JVM system property of the same name: hosts
     * such as JMeter make fresh bindings for every sample and give the user no way to set an
     * attribute before the first evaluation, but whoever starts the JVM can say
     * {@code -Dtsl.allowHostAccess=true}.
     */
    private static boolean flag(ScriptContext sc, String name) {
        Object v = sc.getAttribute(name);
        if (v == null) {
            v = System.getProperty(name);
        }
        return v instanceof Boolean b ? b : v != null && Boolean.parseBoolean(v.toString());
    }

    /** Routes print output to the ScriptContext's writers (call with the lock held). */
    void writers(ScriptContext sc) {
        out.target(sc.getWriter());
        err.target(sc.getErrorWriter());
    }

    void flush() {
        try {
            out.flush();
            err.flush();
        } catch (IOException ignored) {
            // a host writer that fails is the host's business, not the script's error
        }
    }

    Value eval(Source source) {
        return context.eval(source);
    }

    void parse(Source source) {
        context.parse(source);
    }

    /** A global of the script, else a builtin of that name, else null. */
    Value global(String name) {
        Value v = globals.getMember(name);
        if (v == null) {
            v = builtin.execute(name);
        }
        return v.isNull() ? null : v;
    }

    Value callMethod(Object thiz, String name, Object[] args) {
        Object[] all = new Object[args.length + 2];
        all[0] = thiz;
        all[1] = name;
        System.arraycopy(args, 0, all, 2, args.length);
        return callMethod.execute(all);
    }

    /**
     * Before an evaluation: globals from the engine scope, then from the global scope for names
     * the engine scope lacks. Names that are not identifiers (log.level, javax.script.filename)
     * are host business and are skipped; an unchanged binding is not converted again.
     */
    void syncIn(Bindings engine, Bindings global) {
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, Object> e : engine.entrySet()) {
            if (isName(e.getKey())) {
                seen.add(e.getKey());
                put(e.getKey(), e.getValue());
            }
        }
        fromGlobalScope.clear();
        if (global != null) {
            for (Map.Entry<String, Object> e : global.entrySet()) {
                if (isName(e.getKey()) && seen.add(e.getKey())) {
                    put(e.getKey(), e.getValue());
                    fromGlobalScope.put(e.getKey(), toHost(globals.getMember(e.getKey())));
                }
            }
        }
        for (String name : Set.copyOf(synced.keySet())) {
            if (!seen.contains(name)) {
                synced.remove(name);
                globals.removeMember(name);      // the host removed the binding
            }
        }
    }

    private void put(String name, Object value) {
        if (synced.containsKey(name) && synced.get(name) == value) {
            return;
        }
        globals.putMember(name, value);
        synced.put(name, value);
    }

    /** After an evaluation: every global the script has back into the engine scope, as Java values. */
    void syncOut(Bindings engine) {
        for (String name : globals.getMemberKeys()) {
            if (!isName(name) || name.startsWith("__")) {
                continue;
            }
            Object v = toHost(globals.getMember(name));
            if (fromGlobalScope.containsKey(name) && java.util.Objects.equals(fromGlobalScope.get(name), v)) {
                continue;      // still the global scope's value: the engine scope must not shadow it
            }
            if (!writeBack(() -> engine.put(name, v))) {
                return;
            }
            synced.put(name, v);
        }
        for (String name : Set.copyOf(synced.keySet())) {
            if (!globals.hasMember(name) && !fromGlobalScope.containsKey(name)) {
                synced.remove(name);
                if (!writeBack(() -> engine.remove(name))) {   // the script deleted the global
                    return;
                }
            }
        }
    }

    /** False when the host's bindings are read-only (a Map.of(...) behind SimpleBindings): they keep what they had. */
    private static boolean writeBack(Runnable change) {
        try {
            change.run();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** A script value as a Java value: numbers, strings, booleans, null, NDArray, List, Map; else the Value. */
    Object toHost(Value v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isHostObject()) {
            return v.asHostObject();
        }
        Value j = toJava.execute(v);
        if (j.isHostObject()) {
            return j.asHostObject();
        }
        return j.isNull() ? null : v;
    }

    static boolean isName(String s) {
        if (s == null || s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0)) || s.charAt(0) == '$') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_') {
                return false;
            }
        }
        return true;
    }

    void close() {
        context.close(true);
    }
}
