package tsl.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every examples/*.tsl and seed listing through bin/tsl (the launcher path) and compares stdout with its golden output. */
class ExamplesTest {
    private static final Path LAUNCHER = Path.of(System.getProperty("tsl.launcher", "../bin/tsl"));
    private static final Path EXAMPLES = Path.of(System.getProperty("tsl.examples.dir", "."));
    /** Seed listings whose feature has not landed yet; each joins the run when it does. */
    private static final java.util.Set<String> PENDING = java.util.Set.of();
    private static final Path SEEDS = EXAMPLES.resolve("../../shared/seed-listings").normalize();

    @TestFactory
    Stream<DynamicTest> examples() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        addCases(tests, EXAMPLES, EXAMPLES);
        if (Files.isDirectory(SEEDS)) {
            addCases(tests, SEEDS, SEEDS.resolve("expected"));
        }
        return tests.stream();
    }

    private static void addCases(List<DynamicTest> tests, Path dir, Path expectedDir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".tsl")).sorted().toList()) {
                Path expected = expectedDir.resolve(p.getFileName().toString().replace(".tsl", ".out"));
                if (Files.exists(expected) && !PENDING.contains(p.getFileName().toString())) {
                    tests.add(DynamicTest.dynamicTest(p.getFileName().toString(),
                            () -> assertEquals(Files.readString(expected), run(p))));
                }
            }
        }
    }

    static String run(Path script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(LAUNCHER.toString(), script.toString()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertEquals(0, rc, "exit status of " + script + "; stderr:\n" + err);
        return out;
    }
}
