package tsl.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A host program in its own process: the single jar is all of TSL it gets. */
final class HostProcess {
    static final Path JAR = Path.of(System.getProperty("tsl.jar"));
    static final Path PROBES = Path.of("src/test/resources/probes");
    static final Path JDK_BIN = Path.of(System.getProperty("java.home"), "bin");

    record Result(int status, String out, String err) {}

    private HostProcess() {}

    /** {@code java} with the flags Truffle and FFM want for a quiet console, then {@code args}. */
    static Result java(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(JDK_BIN.resolve("java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }

    /** Runs {@code cmd} with {@code stdin} (null: none) and waits for it, reading both streams at once. */
    static Result run(List<String> cmd, String stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        // drain stderr on its own thread: a chatty host (JMeter) could fill one pipe while we block on the other
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "host process did not finish: " + cmd);
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
    }
}
