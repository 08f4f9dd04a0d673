package tsl.compile;

import tsl.graph.TslException;
import tsl.linker.cuda.CudaLinker;
import tsl.linker.jvm.JvmLinker;

/** How a function is compiled: which rewrites run (optimizer) and which backend runs the result (linker). */
public record Mode(String linker, String optimizer) {

    public static Mode fromName(String name) {
        if (name == null) {
            return fromName(Config.mode());
        }
        return switch (name) {
            case "FAST_RUN" -> new Mode(Config.linker(), "fast_run");
            case "FAST_COMPILE" -> new Mode("jvm", "fast_compile");
            case "DebugMode", "DEBUG_MODE" -> new Mode("debug", "fast_run");
            default -> throw TslException.valueError("unknown mode '" + name + "' (expected FAST_RUN, FAST_COMPILE or DebugMode)");
        };
    }

    public Linker newLinker() {
        if ("cuda".equals(Config.device())) {
            return new CudaLinker(); // device=cuda places every function on the GPU, as in Theano
        }
        return switch (linker == null ? "jvm" : linker) {
            case "jvm", "vm", "py", "cvm", "c|py" -> new JvmLinker();
            case "cuda" -> new CudaLinker();
            case "c", "native" -> new tsl.linker.c.NativeLinker();
            case "debug" -> new tsl.linker.c.DebugLinker();
            default -> throw TslException.notSupported("linker '" + linker + "'");
        };
    }

    /**
     * Starts the default mode's linker setup as soon as a program begins to build a graph, so
     * that it overlaps the script instead of the first function() (a warm function() that the
     * program cache serves has no rewrites left to overlap). Never fails: a bad mode flag is
     * reported by function() itself.
     */
    public static void warmUpDefaultLinker() {
        try {
            fromName(null).warmUpLinker(false);
        } catch (RuntimeException e) {
            // function() raises the same error where the user can see it
        }
    }

    /** Lets the linker this mode will use start its process-wide setup while the graph is rewritten. */
    public void warmUpLinker() {
        warmUpLinker(true);
    }

    /** {@code codegen}: also what compiling needs (a function is about to be compiled), not only a program-cache lookup. */
    private void warmUpLinker(boolean codegen) {
        if (!"cuda".equals(Config.device()) && ("c".equals(linker) || "native".equals(linker) || "debug".equals(linker))) {
            if (codegen) {
                tsl.linker.c.NativeLinker.warmUp();
            } else {
                tsl.linker.c.NativeLinker.warmUpLookup();
            }
        }
    }
}
