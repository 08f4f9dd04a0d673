package tsl.language.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The launcher's compiler threads at a lower priority: which threads, what value, and only in its own process. */
class JitPriorityTest {
    @Test
    void namesOfTheCompilerThreads() {
        assertTrue(JitPriority.isCompilerThread("C2 CompilerThre"));
        assertTrue(JitPriority.isCompilerThread("C1 CompilerThre"));
        assertTrue(JitPriority.isCompilerThread("TruffleCompiler"));
        assertFalse(JitPriority.isCompilerThread("main"));
        assertFalse(JitPriority.isCompilerThread("GC Thread#0"));
        assertFalse(JitPriority.isCompilerThread("tsl-native-warm"));
    }

    /** Run in a child JVM: lowers its compiler threads, then prints "name nice" for each of them. */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length > 0) {
            JitPriority.takeOwnProcess();
        }
        Thread lowering = JitPriority.lower();
        if (lowering != null) {
            lowering.join();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : ds) {
                String name;
                String stat;
                try {
                    name = Files.readString(t.resolve("comm")).strip();
                    stat = Files.readString(t.resolve("stat"));
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // a thread that ended meanwhile (the lowering thread, say)
                }
                if (JitPriority.isCompilerThread(name)) {
                    // the fields after the parenthesised name: state is field 3, nice is field 19
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    System.out.println(name + " " + f[16]);
                }
            }
        }
    }

    private static List<String> probe(String nice, boolean own) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), JitPriorityTest.class.getName());
        if (own) {
            pb.command().add("own");
        }
        if (nice == null) {
            pb.environment().remove("TSL_JIT_NICE");
        } else {
            pb.environment().put("TSL_JIT_NICE", nice);
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    /** Without main()'s say-so (a host that embeds TSL, or a test calling Main.run) nothing changes: the first probe. */
    @Test
    void theLauncherProcessRunsItsCompilerThreadsAtNiceTen() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String baseline = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16];
        for (String l : probe(null, false)) {
            assertTrue(l.endsWith(" " + baseline), "not the launcher's own process: as this JVM runs, " + l);
        }
        Assumptions.assumeTrue(baseline.equals("0"), "the build itself runs at nice " + baseline);
        List<String> lines = probe(null, true);
        assertFalse(lines.isEmpty(), "a JVM has C1/C2 threads");
        for (String l : lines) {
            assertTrue(l.endsWith(" 10"), l);
        }
        for (String l : probe("3", true)) {
            assertTrue(l.endsWith(" 3"), "TSL_JIT_NICE chooses: " + l);
        }
        for (String l : probe("0", true)) {
            assertTrue(l.endsWith(" 0"), "TSL_JIT_NICE=0 leaves them: " + l);
        }
    }
}
