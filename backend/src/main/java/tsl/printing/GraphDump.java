package tsl.printing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tsl.compile.Function;
import tsl.graph.Apply;
import tsl.graph.SourceLocation;
import tsl.graph.TslException;
import tsl.graph.Variable;

/**
 * {@code tsl --graph}: once enabled, every function compiled in this process has the picture
 * of its optimized graph written into one folder — DOT always, SVG and PNG too when
 * Graphviz's {@code dot} is installed — named by compile order, the function's name and the
 * script line that built its first output.
 */
public final class GraphDump {
    private static Path directory;
    private static final List<Path> written = new ArrayList<>();
    private static Boolean dotInstalled;

    private GraphDump() {}

    /** Starts writing the graphs of the functions compiled from now on into {@code dir} (created if missing). */
    public static synchronized void enable(Path dir) {
        directory = dir;
        written.clear();
    }

    public static synchronized Path directory() {
        return directory;
    }

    /** The files written since {@link #enable}. */
    public static synchronized List<Path> written() {
        return List.copyOf(written);
    }

    /** Called by {@code function()} for each compiled function; nothing happens unless enabled. */
    public static synchronized void record(Function f) {
        if (directory == null || f.graph() == null) {
            return;
        }
        int n = (int) written.stream().filter(p -> p.toString().endsWith(".dot")).count() + 1;
        String stem = String.format(Locale.ROOT, "%02d_%s%s", n, safe(f.name() != null ? f.name() : "function"), line(f));
        String dot = DotPrint.dot(f.graph());
        written.add(DotPrint.write(dot, directory.resolve(stem + ".dot").toString(), "dot"));
        if (dotInstalled()) {
            for (String fmt : List.of("svg", "png")) {
                written.add(DotPrint.write(dot, directory.resolve(stem + "." + fmt).toString(), fmt));
            }
        }
    }

    private static String line(Function f) {
        for (Variable v : f.graph().outputs()) {
            Apply a = v.owner();
            SourceLocation loc = a == null ? null : a.location();
            if (loc != null && loc.line() > 0) {
                return "_line" + loc.line();
            }
        }
        return "";
    }

    private static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return s.length() > 40 ? s.substring(0, 40) : s;
    }

    /** Whether Graphviz's dot runs here (checked once). */
    public static synchronized boolean dotInstalled() {
        if (dotInstalled == null) {
            try {
                Process p = new ProcessBuilder("dot", "-V").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                dotInstalled = p.waitFor() == 0;
            } catch (IOException e) {
                dotInstalled = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TslException("OSError", "interrupted while looking for Graphviz's dot");
            }
        }
        return dotInstalled;
    }

    /** Creates the folder up front, so that a bad path fails before the script runs. */
    public static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TslException("OSError", "cannot create the graph folder " + dir + ": " + e.getMessage());
        }
        enable(dir);
    }
}
