package tsl.compile;

import java.util.LinkedHashMap;
import java.util.Map;

import tsl.graph.TslException;
import tsl.tensor.DType;

/**
 * Theano-style configuration: {@code TSL_FLAGS="floatX=float32,mode=FAST_RUN,..."}, read once
 * at start-up and overridable by the launcher and embedders before the first script runs.
 */
public final class Config {
    private static volatile DType floatX = DType.FLOAT64;
    private static volatile String mode = "FAST_RUN";
    private static volatile String device = "cpu";
    private static volatile boolean floatXSet;
    /**
     * native (C through gcc) by default, as Theano's default was its C linker; where no gcc
     * is found the native linker warns once and runs the jvm linker. {@code linker=jvm} asks
     * for the reference explicitly.
     */
    private static volatile String linker = "native";
    private static final Map<String, String> EXTRA = new LinkedHashMap<>();

    static {
        String flags = System.getenv("TSL_FLAGS");
        if (flags != null && !flags.isBlank()) {
            try {
                apply(flags);
            } catch (TslException e) {
                System.err.println("TSL_FLAGS: " + e.getMessage());
            }
        }
    }

    private Config() {}

    /**
     * The flags as they were at one moment, for work done later on another's behalf: a program
     * served from the cache is rewritten only when its optimized graph is asked for, and that
     * must see the flags its function() saw, not the ones set since.
     */
    public record Snapshot(DType floatX, String mode, String device, String linker, Map<String, String> extra) {}

    /** The snapshot the current thread reads instead of the global flags ({@link #within}). */
    private static final ThreadLocal<Snapshot> SCOPED = new ThreadLocal<>();

    public static synchronized Snapshot snapshot() {
        Snapshot s = SCOPED.get();
        return s != null ? s : new Snapshot(floatX, mode, device, linker, Map.copyOf(EXTRA));
    }

    /** Runs {@code work} on this thread with the flags of {@code s}; other threads keep the global ones. */
    public static <R> R within(Snapshot s, java.util.function.Supplier<R> work) {
        Snapshot outer = SCOPED.get();
        SCOPED.set(s);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                SCOPED.remove();
            } else {
                SCOPED.set(outer);
            }
        }
    }

    public static DType floatX() {
        Snapshot s = SCOPED.get();
        return s != null ? s.floatX() : floatX;
    }

    public static String mode() {
        Snapshot s = SCOPED.get();
        return s != null ? s.mode() : mode;
    }

    public static String device() {
        Snapshot s = SCOPED.get();
        return s != null ? s.device() : device;
    }

    public static String linker() {
        Snapshot s = SCOPED.get();
        return s != null ? s.linker() : linker;
    }

    /** {@code profile=True}: every function is profiled and the summaries are printed at exit. */
    public static boolean profileAll() {
        String p = get("profile");
        return p != null && (p.equalsIgnoreCase("true") || p.equals("1"));
    }

    /** Applies comma-separated {@code key=value} flags. */
    public static synchronized void apply(String flags) {
        for (String part : flags.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw TslException.valueError("bad flag '" + p + "': expected key=value");
            }
            set(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
    }

    public static synchronized void set(String key, String value) {
        switch (key) {
            case "floatX" -> {
                DType d = DType.lookup(value);
                if (d != DType.FLOAT32 && d != DType.FLOAT64) {
                    throw TslException.valueError("floatX must be float32 or float64, got '" + value + "'");
                }
                floatX = d;
                floatXSet = true;
            }
            case "mode" -> mode = value;
            case "device" -> {
                if (value.equals("cuda") || value.equals("cuda0")) {
                    // the floatX default follows the device until floatX is set explicitly
                    // checked when the first function is compiled: "no CUDA device: ..." where there is none
                    device = "cuda";
                    if (!floatXSet) {
                        floatX = DType.FLOAT32; // Theano's GPU default
                    }
                    return;
                }
                if (!value.equals("cpu")) {
                    throw TslException.notSupported("device=" + value + " (available: cpu, cuda)");
                }
                if (!floatXSet) {
                    floatX = DType.FLOAT64;
                }
                device = value;
            }
            case "linker" -> {
                if (value.equals("c") || value.equals("native")) {
                    linker = "native";
                    return;
                }
                if (!value.equals("jvm") && !value.equals("vm") && !value.equals("py")) {
                    throw TslException.notSupported("linker=" + value + " (expected jvm or native)");
                }
                linker = "jvm";
            }
            default -> EXTRA.put(key, value);
        }
    }

    public static String get(String key) {
        Snapshot s = SCOPED.get();
        if (s != null) {
            return s.extra().get(key);
        }
        synchronized (Config.class) {
            return EXTRA.get(key);
        }
    }

    /**
     * Every flag that may change what a function compiles to, in a fixed order: part of a
     * {@link GraphKey}. Flags that only say where to cache or what to print are left out.
     */
    public static String describe() {
        Snapshot f = snapshot();
        StringBuilder sb = new StringBuilder("floatX=" + f.floatX() + ",mode=" + f.mode() + ",device=" + f.device()
                + ",linker=" + f.linker());
        new java.util.TreeMap<>(f.extra()).forEach((k, v) -> {
            if (!k.equals("cachedir") && !k.equals("native_trace") && !k.equals("program_cache")) {
                sb.append(',').append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }
}
