package tsl.language.launcher;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the JVM's just-in-time compiler threads (C1, C2 and Truffle's) at a lower scheduling
 * priority than the script, in the {@code tsl} launcher only: a host that embeds TSL keeps its
 * own threads as they are.
 *
 * <p>Why: in a new process these threads have seconds of work (Truffle's compiler alone takes
 * ~1.5 s of CPU to initialise itself), and on two cores they took turns with gcc and the script,
 * so the first function() of a script waited for gcc about twice as long as gcc needs. At nice
 * 10 they still get every core the script leaves idle, and lose to it only when both want one.
 * Linux lets any process raise the nice value of its own threads; elsewhere, or when
 * {@code /proc} is missing, nothing changes. {@code TSL_JIT_NICE=N} chooses the value (0: leave
 * them alone).
 */
final class JitPriority {
    private static final int DEFAULT_NICE = 10;
    /** Set by the launcher's main(): only a process that is the launcher's own changes its threads. */
    private static volatile boolean ownProcess;

    private JitPriority() {}

    /** Called by {@code main}: from here on {@link #lower} acts (Main.run alone, as tests call it, does not). */
    static void takeOwnProcess() {
        ownProcess = true;
    }

    /**
     * Lowers the compiler threads that exist now, on a thread of its own: the first downcall
     * handle of a process costs the caller ~80 ms (FFM's setup), which the script's start need
     * not wait for. C1/C2 threads the JVM adds later are started by a compiler thread and inherit
     * its priority; Truffle starts its compiler thread when the first call target is made, so the
     * launcher calls this again once the script is parsed. Returns the thread (null: nothing to do).
     */
    static Thread lower() {
        if (!ownProcess || niceValue() <= 0 || !Files.isDirectory(TASKS)) {
            return null;
        }
        return Thread.ofPlatform().daemon().name("tsl-jit-priority").start(JitPriority::lowerNow);
    }

    private static final Path TASKS = Path.of("/proc/self/task");

    /** libc's setpriority, bound once (class initialisation is thread-safe). */
    private static final class Setpriority {
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("setpriority").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static void lowerNow() {
        int nice = niceValue();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(TASKS)) {
            for (Path t : ds) {
                String name;
                try {
                    name = Files.readString(t.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                if (isCompilerThread(name)) {
                    int unused = (int) Setpriority.HANDLE.invokeExact(0 /* PRIO_PROCESS: on Linux, one thread */,
                            Integer.parseInt(t.getFileName().toString()), nice);
                }
            }
        } catch (Throwable e) {
            // only a scheduling preference: the script runs the same without it
        }
    }

    /** The kernel's thread names (15 characters at most) of HotSpot's and Truffle's compilers. */
    static boolean isCompilerThread(String name) {
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre") || name.startsWith("TruffleCompiler");
    }

    static int niceValue() {
        String v = System.getenv("TSL_JIT_NICE");
        if (v == null || v.isBlank()) {
            return DEFAULT_NICE;
        }
        try {
            return Math.max(0, Math.min(19, Integer.parseInt(v.strip())));
        } catch (NumberFormatException e) {
            return DEFAULT_NICE;
        }
    }
}
