package tsl.language;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every golden/*.tsl and compares what it prints (and its error report, if any) with golden/*.out. */
class GoldenTest {
    @TestFactory
    Stream<DynamicTest> golden() throws IOException, URISyntaxException {
        Path dir = Path.of(GoldenTest.class.getResource("/golden").toURI());
        return Files.list(dir).filter(p -> p.toString().endsWith(".tsl")).sorted().map(p -> DynamicTest.dynamicTest(
                p.getFileName().toString(), () -> {
                    String expected = Files.readString(Path.of(p.toString().replace(".tsl", ".out")));
                    assertEquals(expected, run(p));
                }));
    }

    static String run(Path script) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context ctx = Context.newBuilder("tsl").out(out).err(out).build()) {
            try {
                ctx.eval(Source.newBuilder("tsl", script.toFile()).name(script.getFileName().toString()).build());
            } catch (PolyglotException e) {
                out.write((e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
