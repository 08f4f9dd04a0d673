package tsl.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Apache JMeter 5.6.3, laid out as its binary distribution (target/jmeter, see the pom), runs
 * probes/jmeter-plan.jmx non-GUI with the single jar dropped into its lib folder: 4 threads x 5
 * iterations of a JSR223 pre-processor and a JSR223 sampler in TSL. JMeter makes a new engine
 * for every sample, binds log, vars, props, ctx, sampler, prev, SampleResult, Label, FileName,
 * Parameters, args and OUT in fresh bindings, and evaluates one cached CompiledScript from all
 * threads at once.
 */
class JMeterHostTest {
    private static final Path HOME = Path.of(System.getProperty("jmeter.home"));
    private static final Pattern MESSAGE = Pattern.compile("tsl sample k=(\\d+) p=2 sum=(\\d+)");

    @BeforeAll
    static void dropTheJarIntoLib() throws Exception {
        Files.createDirectories(HOME.resolve("lib/junit"));     // the launcher expects the folder the distribution has
        Files.copy(HostProcess.JAR, HOME.resolve("lib/tsl.jar"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A non-GUI run of the plan; the rows of its CSV results file as column name to value. */
    private static List<Map<String, String>> runPlan(List<String> jvmFlags, StringBuilder stdout) throws Exception {
        Path dir = Files.createTempDirectory(HOME.getParent(), "jmeter-run");
        Path results = dir.resolve("results.csv");
        List<String> cmd = new ArrayList<>(List.of(HostProcess.JDK_BIN.resolve("java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-jar", HOME.resolve("bin/ApacheJMeter.jar").toString(), "-n",
                "-t", HostProcess.PROBES.resolve("jmeter-plan.jmx").toString(),
                "-l", results.toString(), "-j", dir.resolve("jmeter.log").toString(),
                "-Jjmeter.save.saveservice.output_format=csv"));
        HostProcess.Result r = HostProcess.run(cmd, null);
        assertEquals(0, r.status(), r.out() + r.err());
        stdout.append(r.out());
        List<List<String>> rows = Csv.parse(Files.readString(results));
        List<String> header = rows.get(0);
        List<Map<String, String>> out = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                m.put(header.get(i), row.get(i));
            }
            out.add(m);
        }
        return out;
    }

    @Test
    void jsr223SamplersRunTslOnManyThreadsWithFreshEngines() throws Exception {
        StringBuilder stdout = new StringBuilder();
        // JMeter gives scripts no way to set engine attributes, so its user opts in to host objects
        // (vars, ctx, SampleResult) for the whole JVM
        List<Map<String, String>> rows = runPlan(List.of("-Dtsl.allowHostAccess=true"), stdout);
        assertEquals(20, rows.size(), rows.toString());
        TreeSet<Integer> ks = new TreeSet<>();
        for (Map<String, String> row : rows) {
            assertEquals("true", row.get("success"), row.toString());
            Matcher m = MESSAGE.matcher(row.get("responseMessage"));
            assertTrue(m.matches(), row.toString());
            int k = Integer.parseInt(m.group(1));
            long sumOfSquares = (long) k * (k + 1) * (2L * k + 1) / 6;
            assertEquals(sumOfSquares, Long.parseLong(m.group(2)), row.toString());
            // the Response Assertion checked the data against ${sum}; its length tells the data was there
            assertEquals(("sum=" + sumOfSquares).length(), Integer.parseInt(row.get("bytes")), row.toString());
            assertTrue(stdout.indexOf("tsl print tsl sample " + k + " " + sumOfSquares + "\n") >= 0, stdout.toString());
            // each (thread, iteration) once: no sample saw another one's bindings
            assertTrue(ks.add(k), "k=" + k + " seen twice: " + rows);
            int thread = k / 10 + 1;
            assertEquals("tsl users 1-" + thread, row.get("threadName"), row.toString());
        }
        assertEquals(new TreeSet<>(List.of(1, 2, 3, 4, 5, 11, 12, 13, 14, 15, 21, 22, 23, 24, 25, 31, 32, 33, 34, 35)), ks);
        assertTrue(someSamplesOverlapped(rows), "the threads never ran TSL at the same time: " + rows);
    }

    @Test
    void withoutTheOptInHostObjectsStayOpaque() throws Exception {
        List<Map<String, String>> rows = runPlan(List.of(), new StringBuilder());
        assertEquals(20, rows.size(), rows.toString());
        for (Map<String, String> row : rows) {
            assertEquals("false", row.get("success"), row.toString());
            assertTrue(row.get("responseMessage").contains("AttributeError: 'HostObject' object has no attribute"), row.toString());
        }
    }

    private static boolean someSamplesOverlapped(List<Map<String, String>> rows) {
        for (Map<String, String> a : rows) {
            for (Map<String, String> b : rows) {
                long a0 = Long.parseLong(a.get("timeStamp")), a1 = a0 + Long.parseLong(a.get("elapsed"));
                long b0 = Long.parseLong(b.get("timeStamp")), b1 = b0 + Long.parseLong(b.get("elapsed"));
                if (a != b && !a.get("threadName").equals(b.get("threadName")) && a0 < b1 && b0 < a1) {
                    return true;
                }
            }
        }
        return false;
    }

    /** JMeter's CSV results: comma-separated, fields with commas, quotes or newlines in double quotes. */
    static final class Csv {
        private Csv() {}

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n') {
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else if (c != '\r') {
                    field.append(c);
                }
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
