package tsl.compile;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;

/**
 * The key of a compiled function in a {@link ProgramStore}: a SHA-256 over the un-optimized
 * graph's {@link CanonicalForm} (ops and their parameters, types with their broadcast patterns,
 * constants' values, input order, source lines), the optimizer, every flag that may change what
 * is compiled, the linker's identity (compiler version, CPU, compiler flags) and the identity of
 * the TSL code itself (a rebuilt backend may rewrite or generate differently). Equal keys mean
 * the same program; anything left out could only turn a hit into a wrong answer, so when in
 * doubt a part goes in and costs a miss.
 */
public final class GraphKey {
    private static volatile String codeIdentity;

    private final String hash;
    private final List<Variable> leaves;

    private GraphKey(String hash, List<Variable> leaves) {
        this.hash = hash;
        this.leaves = leaves;
    }

    /** The hex SHA-256: the file name of the entry. */
    public String hash() { return hash; }

    /**
     * The variables without an owner in the order the canonical form numbered them: a stored
     * program names its inputs, shared variables and constants by these positions.
     */
    public List<Variable> leaves() { return leaves; }

    /**
     * The key of {@code graph} (before any rewrite), or null when some op has no stable form
     * (then the function is compiled as usual and not stored).
     */
    public static GraphKey of(FunctionGraph graph, String optimizer, String linkerIdentity) {
        CanonicalForm form = new CanonicalForm();
        form.string("tsl-graph-key-1");
        form.string(codeIdentity());
        form.string(Config.describe());
        form.string(optimizer);
        form.string(linkerIdentity);
        try {
            form.graph(graph);
        } catch (CanonicalForm.Uncacheable e) {
            if ("True".equalsIgnoreCase(Config.get("native_trace"))) {
                System.err.println("tsl: program cache: not cached (" + e.getMessage() + ")");
            }
            return null;
        }
        return new GraphKey(HexFormat.of().formatHex(sha256().digest(form.toByteArray())), List.copyOf(form.leaves()));
    }

    /** Loads what a first key needs (for the linker's warm-up thread): the code identity and the canonical form. */
    public static void warmUp() {
        codeIdentity();
        new CanonicalForm().string("");
    }

    /**
     * Names this build of the backend: the jar's path, size and modification time, or for a
     * classes directory (tests, the IDE) those of every file in it. Computed once per process.
     */
    static String codeIdentity() {
        String id = codeIdentity;
        if (id == null) {
            id = computeCodeIdentity();
            codeIdentity = id;
        }
        return id;
    }

    private static String computeCodeIdentity() {
        try {
            Path p = Path.of(GraphKey.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            StringBuilder sb = new StringBuilder(p.toString());
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        stamp(sb.append('\n').append(p.relativize(f)), f);
                    }
                }
            } else {
                stamp(sb, p);
            }
            return HexFormat.of().formatHex(sha256().digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // no stable name for the code: a key that no other process makes, i.e. no reuse
            return "unknown-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        }
    }

    private static void stamp(StringBuilder sb, Path f) throws IOException {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        sb.append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
