package tsl.language.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tsl.printing.GraphDump;

/** {@code tsl --graph}: the script runs as usual and each function it compiles leaves its picture in one folder. */
class GraphOptionTest {
    @Test
    void everyCompiledFunctionIsWrittenIntoTheNamedFolder(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("two.tsl");
        Files.writeString(script, """
                x = dvector('x')
                f = function([x], exp(x) * 2)
                g = function([x], x.sum(), name='total')
                print(f([0.0]), g([1.0, 2.0]))
                """);
        Path out = dir.resolve("pictures");
        LauncherProcessTest.Result r = LauncherProcessTest.tsl(null, "--graph", "--graph-dir", out.toString(), script.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("[2.] 3.0\n", r.out(), "the script's own output is unchanged");
        assertTrue(r.err().contains("graph file(s) to " + out), r.err());
        List<String> names;
        try (Stream<Path> s = Files.list(out)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(names.contains("01_function_line2.dot"), names.toString());
        assertTrue(names.contains("02_total_line3.dot"), names.toString());
        String dot = Files.readString(out.resolve("01_function_line2.dot"));
        assertTrue(dot.startsWith("digraph") && dot.contains("Composite"), dot);
        if (GraphDump.dotInstalled()) {
            assertTrue(names.contains("01_function_line2.svg") && names.contains("01_function_line2.png"), names.toString());
        } else {
            assertEquals(2, names.size(), "without Graphviz only DOT is written: " + names);
        }
    }

    @Test
    void aFolderThatCannotBeMadeIsAUsageError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "");
        LauncherProcessTest.Result r = LauncherProcessTest.tsl(null, "--graph-dir", file.resolve("sub").toString(), "-c", "print(1)");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("cannot create the graph folder"), r.err());
    }
}
