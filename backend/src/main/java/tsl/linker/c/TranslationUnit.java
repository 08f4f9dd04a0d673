package tsl.linker.c;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Variable;

/**
 * The C source of one compiled function: the prelude and one entry function per segment.
 *
 * <p>A large unit is written so that several gcc processes can compile it at once: each large
 * node's code becomes a function of its own, fenced by {@code #ifndef TSL_SKIP_P<i>}, and the
 * entry functions by {@code #ifndef TSL_SKIP_ENTRY}. Without any of those macros the source is
 * one ordinary unit; with them, each process compiles its share into an object and the objects
 * are linked together ({@link Gcc#compileInParts}). Why: gcc takes most of a cold compile, and
 * in a fresh JVM the JIT's threads take turns with it on the cores, so one gcc process got about
 * half of a core (docs/NATIVE.md, "Compile time"). Which node goes where depends only on the
 * source's sizes, so the text, and with it the cache key, is the same on every machine.
 */
final class TranslationUnit {
    /** Below this many characters of node code the unit stays one function per segment. */
    static final int SPLIT_MIN = 12_000;
    /** A node's code at least this long becomes a function of its own in a split unit. */
    static final int OUTLINE_MIN = 1_000;
    /** The parameters of a segment's entry function, which its node functions take too. */
    private static final String PARAMS = "(tsl_arr* T, void** bufs, int64_t* caps, char* err)";

    final String source;
    final boolean usesBlas;
    final boolean usesThreads;
    /** What each outlined node function costs gcc, estimated by its length; empty: not split. */
    final List<Integer> partCosts;
    /** The same estimate for the entry functions and the node code left in them. */
    final int entryCost;

    private TranslationUnit(String source, boolean usesBlas, boolean usesThreads, List<Integer> partCosts, int entryCost) {
        this.source = source;
        this.usesBlas = usesBlas;
        this.usesThreads = usesThreads;
        this.partCosts = List.copyOf(partCosts);
        this.entryCost = entryCost;
    }

    static TranslationUnit of(List<Segment> segments) {
        boolean blas = false;
        List<List<String>> blocks = new ArrayList<>();
        int total = 0;
        for (Segment s : segments) {
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < s.nodes.size(); i++) {
                Apply a = s.nodes.get(i);
                NodeEmitter em = Emitters.of(a);
                blas |= em.usesBlas(a);
                StringBuilder b = new StringBuilder();
                em.emit(a, new Emit(b, s, i));
                mine.add(b.toString());
                total += b.length();
            }
            blocks.add(mine);
        }
        boolean split = total >= SPLIT_MIN;
        StringBuilder parts = new StringBuilder();
        StringBuilder prototypes = new StringBuilder();
        StringBuilder entries = new StringBuilder();
        List<Integer> costs = new ArrayList<>();
        int entryCost = 0;
        for (int si = 0; si < segments.size(); si++) {
            Segment s = segments.get(si);
            StringBuilder body = new StringBuilder();
            body.append("\nint ").append(s.functionName()).append(PARAMS).append(" {\n");
            body.append("    int rc = 0;\n");
            for (Variable v : s.fresh()) {
                body.append("    T[").append(s.slot(v)).append("].data = NULL; T[").append(s.slot(v)).append("].owner = -1;\n");
            }
            for (int i = 0; i < s.nodes.size(); i++) {
                String comment = "    /* " + s.nodes.get(i).op().toString().replace("*/", "* /") + " */\n";
                String code = blocks.get(si).get(i);
                if (split && code.length() >= OUTLINE_MIN && selfContained(code)) {
                    int p = costs.size();
                    String f = s.functionName() + "_p" + p;
                    prototypes.append("__attribute__((visibility(\"hidden\"))) int ").append(f).append(PARAMS).append(";\n");
                    parts.append("\n#ifndef TSL_SKIP_P").append(p).append('\n')
                            .append("__attribute__((visibility(\"hidden\"))) int ").append(f).append(PARAMS).append(" {\n")
                            .append("    int rc = 0;\n").append(comment).append(code)
                            .append("    return 0;\nfail:\n    (void) bufs; (void) caps;\n    return rc;\n}\n#endif\n");
                    costs.add(code.length());
                    body.append(comment).append("    if ((rc = ").append(f).append("(T, bufs, caps, err)) != 0) goto fail;\n");
                } else {
                    body.append(comment).append(code);
                }
            }
            body.append("    return 0;\n");
            body.append("fail:\n");
            body.append("    (void) bufs; (void) caps;\n");
            for (Variable v : s.fresh()) {
                int k = s.slot(v);
                body.append("    if (T[").append(k).append("].owner == ").append(k).append(") free(T[").append(k)
                        .append("].data);\n");
            }
            body.append("    return rc;\n}\n");
            entryCost += body.length();
            entries.append(body);
        }
        StringBuilder code = new StringBuilder();
        if (!costs.isEmpty()) {
            code.append('\n').append(prototypes).append(parts).append("\n#ifndef TSL_SKIP_ENTRY").append(entries).append("#endif\n");
        } else {
            code.append(entries);
        }
        String src = Prelude.text() + (blas ? DotEmitter.BLAS_HELPERS : "") + ConvCode.helpersFor(code)
                + (code.indexOf("tsl_normal_fill_") >= 0 ? tsl.ops.random.NormalTransform.C_CODE : "") + code;
        return new TranslationUnit(src, blas, src.contains("omp parallel"), costs, entryCost);
    }

    /**
     * Whether a node's code can move into a function of its own: every top-level line is a
     * brace of a block, so nothing it declares is seen by the code after it (Emit indents by
     * braces, so a top-level statement is a line with one level of indent).
     */
    private static boolean selfContained(String code) {
        for (String line : code.split("\n")) {
            if (line.isEmpty() || line.startsWith("        ") || line.equals("    {") || line.equals("    }")) {
                continue;
            }
            return false;
        }
        return true;
    }

    /**
     * The macros that each of {@code processes} gcc processes defines, so that together they
     * compile every function once: the outlined functions go, largest first, to the process with
     * the least work so far; the entry functions stay with the first. One process, or a unit
     * that was not split: a single empty list (compile the source as it is).
     */
    List<List<String>> compileGroups(int processes) {
        int n = Math.min(processes, partCosts.size() + 1);
        if (n <= 1) {
            return List.of(List.of());
        }
        long[] load = new long[n];
        load[0] = entryCost;
        int[] owner = new int[partCosts.size()];
        List<Integer> order = new ArrayList<>();
        for (int p = 0; p < partCosts.size(); p++) {
            order.add(p);
        }
        order.sort(Comparator.comparingInt((Integer p) -> partCosts.get(p)).reversed().thenComparing(p -> p));
        for (int p : order) {
            int best = 0;
            for (int g = 1; g < n; g++) {
                if (load[g] < load[best]) {
                    best = g;
                }
            }
            owner[p] = best;
            load[best] += partCosts.get(p);
        }
        List<List<String>> groups = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            List<String> defines = new ArrayList<>();
            if (g != 0) {
                defines.add("-DTSL_SKIP_ENTRY");
            }
            for (int p = 0; p < owner.length; p++) {
                if (owner[p] != g) {
                    defines.add("-DTSL_SKIP_P" + p);
                }
            }
            groups.add(defines);
        }
        return groups;
    }
}
