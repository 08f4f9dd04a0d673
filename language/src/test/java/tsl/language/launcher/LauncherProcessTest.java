package tsl.language.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tsl command as a separate process: a script with arguments, -c, standard input, the prompt. */
class LauncherProcessTest {
    record Result(int status, String out, String err) {}

    static Result tsl(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dpolyglot.engine.WarnInterpreterOnly=false",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void scriptSeesItsArgumentsAndImportsFromItsFolder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("helper.tsl"), "def twice(v):\n    return 2 * v\n");
        Path main = dir.resolve("main.tsl");
        Files.writeString(main, """
                import sys
                import helper
                print(sys.argv[1:], helper.twice(int(sys.argv[1])))
                sys.stdout.write('done\\n')
                sys.exit(int(sys.argv[2]))
                """);
        Result r = tsl(null, main.toString(), "21", "3");
        assertEquals("['21', '3'] 42\ndone\n", r.out());
        assertEquals(3, r.status(), r.err());
    }

    @Test
    void dashCAndStdinAndExitCodes() throws Exception {
        Result c = tsl(null, "-c", "import sys\nprint(sys.argv)\nx = dscalar('x')\nprint(function([x], x * 2)(4.0))", "a");
        assertEquals("['-c', 'a']\n8.0\n", c.out());
        assertEquals(0, c.status(), c.err());
        Result piped = tsl("print(1 + 1)\n1 + 1\n");
        assertEquals("2\n", piped.out(), "piped input without -i is a program: values are not echoed");
        Result dash = tsl("import sys\nprint(sys.argv)\n", "-", "q");
        assertEquals("['-', 'q']\n", dash.out());
        Result fail = tsl(null, "-c", "a = [1]\na[3]");
        assertEquals(1, fail.status());
        assertTrue(fail.err().startsWith("<string>:2:1: IndexError: list index out of range"), fail.err());
        assertEquals(2, tsl(null, "--no-such-flag").status());
        assertEquals(2, tsl(null, "/no/such/file.tsl").status());
        assertEquals(2, tsl(null, "-c").status());
    }

    @Test
    void promptEchoesValuesContinuesBlocksAndSurvivesErrors() throws Exception {
        Result r = tsl("""
                x = 2
                x * 21
                for i in range(2):
                    print(i)

                m = [1,
                     2]
                m
                None
                undefined_name
                'still here'
                import sys
                sys.exit(5)
                """, "-i");
        assertEquals("42\n0\n1\n[1, 2]\n'still here'\n", r.out());
        assertTrue(r.err().contains("NameError: name 'undefined_name' is not defined"), r.err());
        assertTrue(r.err().contains(">>> ") && r.err().contains("... "), r.err());
        assertEquals(5, r.status());
        Result eof = tsl("1.5 * 2\n", "-i");
        assertEquals("3.0\n", eof.out());
        assertEquals(0, eof.status());
    }
}
