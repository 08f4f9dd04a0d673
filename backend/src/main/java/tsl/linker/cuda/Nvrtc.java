package tsl.linker.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

import tsl.graph.TslException;

/**
 * NVRTC called directly through the Foreign Function & Memory API, for whichever
 * {@code libnvrtc.so.N} the machine has: JCuda's own binding is tied to CUDA 12's library,
 * and a CUDA 13 machine has only {@code libnvrtc.so.13}. Compiling in-process takes tens of
 * milliseconds where starting nvcc takes about a second. The seven functions used have had
 * the same C signatures since CUDA 7.
 */
final class Nvrtc {
    private static final Object PROBE = new Object();
    private static Nvrtc instance;
    private static boolean probed;

    private final MethodHandle create;
    private final MethodHandle compile;
    private final MethodHandle ptxSize;
    private final MethodHandle ptx;
    private final MethodHandle logSize;
    private final MethodHandle log;
    private final MethodHandle destroy;
    final String library;

    private Nvrtc(SymbolLookup lib, String library) {
        Linker l = Linker.nativeLinker();
        ValueLayout.OfInt res = ValueLayout.JAVA_INT;
        this.library = library;
        create = l.downcallHandle(lib.find("nvrtcCreateProgram").orElseThrow(), FunctionDescriptor.of(res,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        compile = l.downcallHandle(lib.find("nvrtcCompileProgram").orElseThrow(),
                FunctionDescriptor.of(res, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        ptxSize = l.downcallHandle(lib.find("nvrtcGetPTXSize").orElseThrow(),
                FunctionDescriptor.of(res, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        ptx = l.downcallHandle(lib.find("nvrtcGetPTX").orElseThrow(),
                FunctionDescriptor.of(res, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        logSize = l.downcallHandle(lib.find("nvrtcGetProgramLogSize").orElseThrow(),
                FunctionDescriptor.of(res, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        log = l.downcallHandle(lib.find("nvrtcGetProgramLog").orElseThrow(),
                FunctionDescriptor.of(res, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        destroy = l.downcallHandle(lib.find("nvrtcDestroyProgram").orElseThrow(),
                FunctionDescriptor.of(res, ValueLayout.ADDRESS));
    }

    /** The library, loaded once; null when no libnvrtc is found or it lacks the functions. */
    static Nvrtc get() {
        synchronized (PROBE) {
            if (!probed) {
                probed = true;
                if (!"false".equalsIgnoreCase(String.valueOf(tsl.compile.Config.get("cuda.nvrtc")))) {
                    for (String candidate : candidates()) {
                        instance = load(candidate);
                        if (instance != null) {
                            break;
                        }
                    }
                }
            }
            return instance;
        }
    }

    /** The library at {@code path} (a file or a name for the loader), or null when it cannot be used. */
    static Nvrtc load(String path) {
        try {
            return new Nvrtc(SymbolLookup.libraryLookup(path, Arena.global()), path);
        } catch (IllegalArgumentException | java.util.NoSuchElementException | UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** Library files in the usual toolkit places, newest version first, then the plain names for the loader's search path. */
    static List<String> candidates() {
        return ToolkitLibraries.candidates("libnvrtc");
    }

    byte[] compile(String source, List<String> options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment progSlot = arena.allocate(ValueLayout.ADDRESS);
            check((int) create.invokeExact(progSlot, arena.allocateFrom(source), arena.allocateFrom("tsl_kernel.cu"), 0,
                    MemorySegment.NULL, MemorySegment.NULL), "nvrtcCreateProgram");
            MemorySegment prog = progSlot.get(ValueLayout.ADDRESS, 0);
            try {
                MemorySegment opts = arena.allocate(ValueLayout.ADDRESS, options.size());
                for (int i = 0; i < options.size(); i++) {
                    opts.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(options.get(i)));
                }
                int rc = (int) compile.invokeExact(prog, options.size(), opts);
                if (rc != 0) {
                    MemorySegment n = arena.allocate(ValueLayout.JAVA_LONG);
                    check((int) logSize.invokeExact(prog, n), "nvrtcGetProgramLogSize");
                    MemorySegment text = arena.allocate(Math.max(1, n.get(ValueLayout.JAVA_LONG, 0)));
                    check((int) log.invokeExact(prog, text), "nvrtcGetProgramLog");
                    throw new TslException("RuntimeError", "CUDA kernel compilation failed (NVRTC):\n" + text.getString(0)
                            + "\n--- source ---\n" + source);
                }
                MemorySegment n = arena.allocate(ValueLayout.JAVA_LONG);
                check((int) ptxSize.invokeExact(prog, n), "nvrtcGetPTXSize");
                long size = n.get(ValueLayout.JAVA_LONG, 0);
                MemorySegment text = arena.allocate(Math.max(1, size));
                check((int) ptx.invokeExact(prog, text), "nvrtcGetPTX");
                // the size counts the terminating NUL
                return text.asSlice(0, Math.max(0, size - 1)).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                int rc = (int) destroy.invokeExact(progSlot); // nothing to do if this fails
                assert rc == 0 || rc != 0;
            }
        } catch (TslException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("NVRTC call failed: " + t, t);
        }
    }

    private static void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + " returned NVRTC error " + rc);
        }
    }
}
