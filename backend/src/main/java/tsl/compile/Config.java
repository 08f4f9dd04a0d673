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

    public static DType floatX() { return floatX; }
    public static String mode() { return mode; }
    public static String device() { return device; }
    public static String linker() { return linker; }

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

    public static synchronized String get(String key) {
        return EXTRA.get(key);
    }

    /**
     * Every flag that may change what a function compiles to, in a fixed order: part of a
     * {@link GraphKey}. Flags that only say where to cache or what to print are left out.
     */
    public static synchronized String describe() {
        StringBuilder sb = new StringBuilder("floatX=" + floatX + ",mode=" + mode + ",device=" + device + ",linker=" + linker);
        new java.util.TreeMap<>(EXTRA).forEach((k, v) -> {
            if (!k.equals("cachedir") && !k.equals("native_trace") && !k.equals("program_cache")) {
                sb.append(',').append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }
}
