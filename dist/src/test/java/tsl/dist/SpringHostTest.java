package tsl.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Spring Framework 7's javax.script support with the single jar beside Spring's own jars (see
 * probes/SpringProbe.java): StandardScriptEvaluator by engine name (mutable and Map.of argument
 * bindings) and by the script file's extension, and {@code <lang:std>} beans whose interfaces are
 * implemented by TSL functions and by a TSL object.
 */
class SpringHostTest {
    @Test
    void evaluatorAndLangStdBeans() throws Exception {
        String classpath;
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("spring.dir")))) {
            classpath = Stream.concat(jars.filter(p -> p.toString().endsWith(".jar")).sorted(), Stream.of(HostProcess.JAR))
                    .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        }
        HostProcess.Result r = HostProcess.java("-cp", classpath, HostProcess.PROBES.resolve("SpringProbe.java").toString(),
                HostProcess.PROBES.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("evaluator: 14.0 42\nby extension: [ 3. 12.]\nbeans: [0.6, 0.8] 5.0 6.5\n", r.out());
    }
}
