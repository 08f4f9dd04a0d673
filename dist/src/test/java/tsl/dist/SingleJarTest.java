package tsl.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The single jar in fresh JVMs that have nothing else on their classpath. */
class SingleJarTest {
    private static final Path JAR = HostProcess.JAR;
    private static final Path PROBES = HostProcess.PROBES;

    private static HostProcess.Result java(String... args) throws IOException, InterruptedException {
        return HostProcess.java(args);
    }

    @Test
    void jarHoldsEverythingAndMergedServices() throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " was not built");
        try (var zip = new java.util.zip.ZipFile(JAR.toFile())) {
            String engines = new String(zip.getInputStream(zip.getEntry("META-INF/services/javax.script.ScriptEngineFactory")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue(engines.contains("tsl.language.jsr223.TslScriptEngineFactory"), engines);
            String langs = new String(zip.getInputStream(zip.getEntry("META-INF/services/com.oracle.truffle.api.provider.TruffleLanguageProvider"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(langs.contains("tsl.language"), langs);
            for (String cls : List.of("org/graalvm/polyglot/Context.class", "org/antlr/v4/runtime/Lexer.class",
                    "tsl/tensor/NDArray.class", "org/jline/reader/LineReader.class", "com/oracle/truffle/api/TruffleLanguage.class")) {
                assertTrue(zip.getEntry(cls) != null, cls + " missing from the single jar");
            }
        }
    }

    @Test
    void javaxScriptHostWithOnlyTheJar() throws Exception {
        HostProcess.Result r = java("-cp", JAR.toString(), PROBES.resolve("JavaxScriptProbe.java").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("f(v) = 14.0\nbuiltin print | 14.0 | 42 | 8.0 | MULTITHREADED | [tsl, TSL]\n"
                + "by extension: 42 | by MIME type: TSL\n", r.out());
    }

    @Test
    void polyglotHostWithOnlyTheJar() throws Exception {
        HostProcess.Result r = java("-cp", JAR.toString(), PROBES.resolve("PolyglotProbe.java").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("2 7.0 array([3., 7.])\n", r.out());
    }

    @Test
    void jarIsTheLauncher() throws Exception {
        HostProcess.Result r = java("-jar", JAR.toString(), "-c", "import sys\nprint(sys.argv[1:], 6 * 7)", "a");
        assertEquals(0, r.status(), r.err());
        assertEquals("['a'] 42\n", r.out());
        assertTrue(!r.err().contains("fallback runtime"), r.err());
    }

    @Test
    void apacheAntScriptTask() throws Exception {
        Path ant = Path.of(System.getProperty("ant.dir"));
        HostProcess.Result r = java("-cp", ant.resolve("ant-launcher.jar") + ":" + ant.resolve("ant.jar"), "org.apache.tools.ant.Main",
                "-noinput", "-f", PROBES.resolve("build.xml").toString(), "-Dtsl.jar=" + JAR);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("ant says 14.0"), r.out());
        assertTrue(r.out().contains("BUILD SUCCESSFUL"), r.out());
    }
}
