package tsl.linker.c;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tsl.graph.TslException;

/**
 * The C compiler: found once on the PATH (or {@code TSL_FLAGS=cxx=...}), with the version
 * string and CPU description that go into every cache key, since {@code -march=native}
 * code built on one machine must not be loaded on another.
 */
public final class Gcc {
    /**
     * Flags for every kernel; -fno-math-errno lets gcc treat libm calls as pure and vectorize
     * them. -O1 by default ({@code TSL_FLAGS=native_opt=-O2} or {@code -O3} to change): the hot
     * loops carry {@code omp simd}, which gcc vectorizes (libmvec calls included) at -O1 as well,
     * while -O2 took 1.8x and -O3 4.5x as long to compile seed 11's training step, for no
     * difference in the measured loops (docs/NATIVE.md, "Compile time").
     */
    static final List<String> BASE_FLAGS = List.of("-march=native", "-fno-math-errno", "-fopenmp-simd",
            "-shared", "-fPIC", "-std=gnu11", "-w");

    static String optLevel() {
        String o = tsl.compile.Config.get("native_opt");
        return o != null && o.matches("-O[0-3s]") ? o : "-O1";
    }

    /**
     * How many gcc processes compile one large unit at once: the processors, at most 4
     * ({@code TSL_FLAGS=gcc_jobs=N} to choose; 1 compiles every unit in one process).
     */
    static int jobs() {
        String j = tsl.compile.Config.get("gcc_jobs");
        if (j != null && j.matches("[1-9][0-9]?")) {
            return Integer.parseInt(j);
        }
        return Math.min(Runtime.getRuntime().availableProcessors(), 4);
    }

    private static volatile Gcc instance;
    private static volatile boolean probed;

    private final String command;
    private final String identity;

    private Gcc(String command, String identity) {
        this.command = command;
        this.identity = identity;
    }

    /** The compiler, or null when none runs here. */
    public static Gcc find() {
        if (!probed) {
            synchronized (Gcc.class) {
                if (!probed) {
                    instance = probe(commandName());
                    probed = true;
                }
            }
        }
        return instance;
    }

    private static String commandName() {
        String c = tsl.compile.Config.get("cxx");
        return c != null && !c.isBlank() ? c : "gcc";
    }

    static Gcc probe(String cmd) {
        Path exe = CompilerIdentity.resolve(cmd);
        String known = exe == null ? null : CompilerIdentity.read(exe);
        if (known != null) {
            return new Gcc(cmd, known + "|" + cpuDescription());
        }
        try {
            Process p = new ProcessBuilder(cmd, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            String version = out.lines().findFirst().orElse("");
            if (exe != null) {
                CompilerIdentity.write(exe, version);
            }
            return new Gcc(cmd, version + "|" + cpuDescription());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String cpuDescription() {
        try {
            StringBuilder sb = new StringBuilder();
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") || line.startsWith("flags")) {
                    sb.append(line).append('\n');
                    if (line.startsWith("flags")) {
                        break; // the first processor describes them all
                    }
                }
            }
            return sb.toString();
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    /** Compiler version and CPU: what, besides code and flags, decides the machine code. */
    public String identity() { return identity; }

    /** Compiles {@code source} (written to {@code dir/name.c}) into {@code output}. */
    void compile(Path dir, String name, String source, List<String> extraFlags, List<String> linkFlags, Path output) {
        compileInParts(dir, name, source, List.of(List.of()), extraFlags, linkFlags, output);
    }

    /**
     * Compiles {@code source} with one gcc process per entry of {@code groups} (the macros that
     * process defines; see {@link TranslationUnit#compileGroups}), all at once, then links their
     * objects into {@code output}. One group: a single gcc run that compiles and links.
     */
    void compileInParts(Path dir, String name, String source, List<List<String>> groups, List<String> extraFlags,
            List<String> linkFlags, Path output) {
        try {
            Path c = dir.resolve(name + ".c");
            Files.writeString(c, source);
            String file = c.getFileName().toString(); // relative, so the object records no temp path
            if (groups.size() <= 1) {
                List<String> cmd = command(extraFlags);
                cmd.addAll(groups.isEmpty() ? List.of() : groups.get(0));
                cmd.addAll(List.of("-o", output.toString(), file));
                cmd.addAll(linkFlags);
                finish(run(dir, cmd), name, cmd);
                return;
            }
            List<Process> running = new ArrayList<>();
            List<List<String>> commands = new ArrayList<>();
            List<String> objects = new ArrayList<>();
            try {
                for (int g = 0; g < groups.size(); g++) {
                    String obj = name + "." + g + ".o";
                    List<String> cmd = command(extraFlags);
                    cmd.add("-c");
                    cmd.addAll(groups.get(g));
                    cmd.addAll(List.of("-o", obj, file));
                    commands.add(cmd);
                    objects.add(obj);
                    running.add(run(dir, cmd));
                }
                for (int g = 0; g < running.size(); g++) {
                    finish(running.get(g), name, commands.get(g));
                }
            } finally {
                for (Process p : running) {
                    p.destroyForcibly(); // a no-op for those that finished; the others must not outlive a failure
                }
            }
            List<String> link = command(extraFlags);
            link.addAll(List.of("-o", output.toString()));
            link.addAll(objects);
            link.addAll(linkFlags);
            finish(run(dir, link), name, link);
        } catch (IOException e) {
            throw new TslException("RuntimeError", "cannot run gcc: " + e.getMessage());
        }
    }

    private List<String> command(List<String> extraFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(command);
        cmd.add(optLevel());
        cmd.addAll(BASE_FLAGS);
        cmd.addAll(extraFlags);
        return cmd;
    }

    private static Process run(Path dir, List<String> cmd) throws IOException {
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    }

    /** Waits for {@code p}; its output becomes the error when it fails. */
    private static void finish(Process p, String name, List<String> cmd) throws IOException {
        try {
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TslException("RuntimeError", "gcc did not finish within 300 s compiling " + name);
            }
            if (p.exitValue() != 0) {
                throw new TslException("RuntimeError", "gcc failed on generated code " + name + " (" + String.join(" ", cmd)
                        + "):\n" + log.lines().limit(40).reduce("", (a, b) -> a + b + "\n"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TslException("RuntimeError", "interrupted while compiling " + name);
        }
    }
}
