package tsl.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK's own javax.script shell, {@code jrunscript}, with the single jar on its {@code -cp}
 * (it loads the jar in a child class loader, as Ant does). It finds engines by name only
 * ({@code -l}, else "js"), binds {@code engine} (itself), {@code arguments} (a String[]) and
 * {@code javax.script.argv}, and prints the value of each line it reads interactively.
 */
class JrunscriptHostTest {
    private static final Path JRUNSCRIPT = HostProcess.JDK_BIN.resolve("jrunscript");

    @BeforeAll
    static void jdkHasIt() {
        // deprecated since JDK 9 and still shipped by JDK 25; a JDK without it cannot run this host
        assumeTrue(Files.isExecutable(JRUNSCRIPT), "this JDK has no jrunscript");
    }

    private static HostProcess.Result jrunscript(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JRUNSCRIPT.toString(), "-J--enable-native-access=ALL-UNNAMED",
                "-J--sun-misc-unsafe-memory-access=allow", "-cp", HostProcess.JAR.toString()));
        cmd.addAll(List.of(args));
        return HostProcess.run(cmd, stdin);
    }

    @Test
    void evaluatesAnExpressionGivenWithE() throws Exception {
        HostProcess.Result r = jrunscript(null, "-l", "tsl", "-e",
                "import numpy as np\nA = dmatrix('A')\ng = function([A], A.T.dot(A))\nprint('e:', g(np.eye(2) * 3))");
        assertEquals(0, r.status(), r.err());
        assertEquals("e: [[9. 0.]\n [0. 9.]]\n", r.out());
    }

    @Test
    void runsAFileWithArgumentsAndTheEngineBinding() throws Exception {
        HostProcess.Result r = jrunscript(null, "-l", "tsl", "-f", HostProcess.PROBES.resolve("jrunscript.tsl").toString(), "a", "b");
        assertEquals(0, r.status(), r.err());
        assertEquals("jrunscript 14.0 ['a', 'b']\n", r.out());
    }

    @Test
    void interactiveModeKeepsGlobalsAndEchoesValues() throws Exception {
        // -f - reads standard input line by line; jrunscript prints each value to stderr after the prompt
        HostProcess.Result r = jrunscript("x = 6 * 7\nprint('x is', x)\nx + 1\n", "-l", "tsl", "-f", "-");
        assertEquals(0, r.status(), r.err());
        assertEquals("x is 42\n", r.out());
        assertTrue(r.err().contains("tsl> 43"), r.err());
    }

    @Test
    void aScriptErrorIsAMessageAndExitStatusNotAStackTrace() throws Exception {
        HostProcess.Result r = jrunscript(null, "-l", "tsl", "-e", "v = [1, 2]\nv[5]");
        assertEquals(10, r.status(), r.out() + r.err());        // jrunscript's EXIT_SCRIPT_ERROR
        assertTrue(r.err().contains("IndexError: list index out of range"), r.err());
        assertTrue(r.err().contains("<string>:2"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void listsTheEngine() throws Exception {
        HostProcess.Result list = jrunscript(null, "-q");
        assertEquals(0, list.status(), list.err());
        assertTrue(list.err().contains("Language TSL " + version() + " implementation \"TSL\" " + version()), list.err());
    }

    private static String version() {
        return tsl.language.TslLanguage.VERSION;
    }
}
