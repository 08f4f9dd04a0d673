package tsl.linker.c;

import java.lang.foreign.SymbolLookup;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import tsl.compile.Linker;
import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.linker.jvm.JvmLinker;

/**
 * Theano's C linker: one C translation unit per compiled function. Consecutive nodes with C
 * code form a segment (one C function); nodes without run their Java {@code perform} between
 * segments. Without gcc it falls back to the jvm linker, with one warning per process.
 */
public final class NativeLinker implements Linker, tsl.compile.ProgramStore {
    private static volatile boolean warned;

    private final KernelCache cache;
    private final java.util.function.Supplier<Gcc> compiler;

    public NativeLinker() {
        this(KernelCache.standard(), Gcc::find);
    }

    NativeLinker(KernelCache cache, java.util.function.Supplier<Gcc> compiler) {
        this.cache = cache;
        this.compiler = compiler;
    }

    /** Whether native code can be compiled here. */
    public static boolean available() {
        return Gcc.find() != null;
    }

    @Override
    public Program link(FunctionGraph graph, List<Variable> freeVariables) {
        CompileTrace.begin();
        Gcc gcc = compiler.get();
        CompileTrace.phase("find-gcc");
        if (gcc == null) {
            warnNoCompiler();
            return new JvmLinker().link(graph, freeVariables);
        }
        Plan plan = plan(graph, freeVariables);
        CompileTrace.phase("plan");
        if (plan.segments.isEmpty()) {
            return new JvmLinker().link(graph, freeVariables);
        }
        TranslationUnit tu = TranslationUnit.of(plan.segments);
        CompileTrace.phase("codegen");
        NativeLibraries.Kernel kernel = NativeLibraries.kernel(gcc, tu, cache);
        SymbolLookup lib = NativeLibraries.load(gcc, tu, cache, kernel);
        List<NativeProgram.Step> steps = new ArrayList<>();
        for (Object s : plan.steps) {
            if (s instanceof Segment seg) {
                int[] in = new int[seg.inputs.size()];
                for (int i = 0; i < in.length; i++) {
                    in[i] = plan.slot.get(seg.inputs.get(i));
                }
                int[] ex = new int[seg.exports.size()];
                for (int i = 0; i < ex.length; i++) {
                    ex[i] = plan.slot.get(seg.exports.get(i));
                }
                steps.add(new NativeProgram.NativeStep(seg, NativeLibraries.entry(lib, seg.functionName()), seg.id, in, ex));
            } else {
                Apply a = (Apply) s;
                CompileTrace.note("Java step " + a.op());
                steps.add(new NativeProgram.JavaStep(a, slots(plan.slot, a.inputs()), slots(plan.slot, a.outputs())));
            }
        }
        CompileTrace.phase("entries");
        CompileTrace.end(plan.segments.size() + " segment(s), " + tu.source.length() + " chars of C");
        NativeProgram program = new NativeProgram(steps, plan.slot.size(), freeVariables.size(), slots(plan.slot, graph.outputs()));
        program.description = CachedPrograms.describe(program, kernel);
        return program;
    }

    @Override
    public String identity() {
        CompileTrace.begin(); // the lookup goes on with the same trace: finding gcc, the graph key, reading
        Gcc gcc = compiler.get();
        CompileTrace.phase("find-gcc");
        return gcc == null ? null : "native|" + gcc.identity() + "|" + Gcc.optLevel() + "|" + String.join(" ", Gcc.BASE_FLAGS);
    }

    @Override
    public Cached lookup(tsl.compile.GraphKey key, java.util.function.Supplier<Optimized> optimized) {
        return CachedPrograms.load(ProgramCache.beside(cache), cache, key,
                (segment, node) -> plan(optimized.get().graph(), optimized.get().freeOrder()).segments.get(segment).nodes.get(node));
    }

    @Override
    public void store(tsl.compile.GraphKey key, Program program, List<Variable> freeOrder) {
        CachedPrograms.store(ProgramCache.beside(cache), key, program, freeOrder);
    }

    /** The generated C of {@code graph} (for tests and debugging), or null when no node has C code. */
    public String generatedSource(FunctionGraph graph, List<Variable> freeVariables) {
        TranslationUnit tu = translationUnit(graph, freeVariables);
        return tu == null ? null : tu.source;
    }

    /** The translation unit of {@code graph}, or null when no node has C code. */
    TranslationUnit translationUnit(FunctionGraph graph, List<Variable> freeVariables) {
        Plan plan = plan(graph, freeVariables);
        return plan.segments.isEmpty() ? null : TranslationUnit.of(plan.segments);
    }

    private record Plan(List<Object> steps, List<Segment> segments, Map<Variable, Integer> slot) {}

    private Plan plan(FunctionGraph graph, List<Variable> freeVariables) {
        Map<Variable, Integer> slot = new IdentityHashMap<>();
        for (Variable v : freeVariables) {
            slot.put(v, slot.size());
        }
        List<Apply> order = graph.toposort();
        for (Apply a : order) {
            for (Variable o : a.outputs()) {
                slot.put(o, slot.size());
            }
        }
        // the last node that reads each variable; graph outputs are read after every node
        Map<Variable, Integer> lastUse = new IdentityHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            for (Variable v : order.get(i).inputs()) {
                lastUse.put(v, i);
            }
        }
        for (Variable v : graph.outputs()) {
            lastUse.put(v, Integer.MAX_VALUE);
        }
        List<Object> steps = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        int i = 0;
        while (i < order.size()) {
            if (Emitters.of(order.get(i)) == null) {
                steps.add(order.get(i++));
                continue;
            }
            int start = i;
            while (i < order.size() && Emitters.of(order.get(i)) != null) {
                i++;
            }
            int end = i - 1;
            Segment seg = new Segment(segments.size(), order.subList(start, end + 1),
                    v -> lastUse.getOrDefault(v, -1) > end);
            segments.add(seg);
            steps.add(seg);
        }
        return new Plan(steps, segments, slot);
    }

    private static int[] slots(Map<Variable, Integer> slot, List<Variable> vs) {
        int[] r = new int[vs.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = slot.get(vs.get(i));
        }
        return r;
    }

    /**
     * Starts the linker's process-wide setup (compiler identity, FFM, libmvec probe) on a
     * background thread, so that it overlaps the graph rewrites of the first function().
     */
    public static void warmUp() {
        LinkerWarmUp.start();
    }

    /**
     * Starts only what a program-cache hit needs (compiler identity, key, stored program,
     * OpenBLAS, FFM), for when a program has begun to build a graph but no function() is being
     * compiled yet: a hit needs neither the libmvec probe nor the emitters.
     */
    public static void warmUpLookup() {
        LinkerWarmUp.startLookup();
    }

    /** Warns once per process; true when this call printed the warning. */
    static synchronized boolean warnNoCompiler() {
        if (!warned) {
            warned = true;
            System.err.println("tsl: warning: no C compiler (gcc) found; the native linker falls back to the jvm linker");
            return true;
        }
        return false;
    }
}
