package tsl.linker.c;

import java.lang.foreign.SymbolLookup;
import java.util.IdentityHashMap;
import java.util.List;

import tsl.compile.GraphKey;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * A program-cache hit rehearsed on made-up data by the linker's warm-up thread, so that the
 * first real hit of a process finds its code paths run once already: measured on seed 11's
 * training step in a new process, the first hit used ~85 ms of its thread's CPU and a second,
 * different graph's hit ~10 ms; after a rehearsal on another graph, ~20 ms. What the first time
 * costs is the JDK's, not the graph's: loading and linking the classes of the key, of the stored
 * program and of FFM, the first reflective reads of op fields and the pattern switches' bootstrap
 * in {@code CanonicalForm}, the string concatenations' and lambdas' bootstraps on the way, and
 * loading OpenBLAS and libgomp. It goes through the real lookup with the key of a made-up graph
 * (a miss: nothing is compiled or stored), and loads nothing a later link would not load itself
 * (OpenBLAS and libgomp, for good, as the first kernel that links them would).
 */
final class LookupRehearsal {
    private LookupRehearsal() {}

    static void run() {
        CompileTrace.quiet(); // native_trace reports real links, not this one
        NativeLinker linker = new NativeLinker();
        String identity = linker.identity();
        GraphKey key = graphKey(identity);
        if (key != null) {
            // a miss, almost surely (no script builds this graph): reads an entry that is not there
            linker.lookup(key, () -> {
                throw new IllegalStateException("a rehearsal has no optimized graph");
            });
        }
        storedProgram();
        new NativeProgram(List.of(), new NativeProgram.Layout[0], 0, 0, new int[0], (segment, node) -> null);
        OpenBlas.preload();
        NativeLibraries.preloadOpenMp();
        entryPoint();
        for (Class<?> c : List.of(NativeProgram.NativeStep.class, tsl.compile.Function.class)) {
            try {
                Class.forName(c.getName(), true, LookupRehearsal.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e); // they were just named: cannot happen
            }
        }
    }

    /** The key of a small graph with the ops most training steps have: a product, elementwise ops, reductions, a shared variable, a constant. */
    static GraphKey graphKey(String linkerIdentity) {
        Variable x = new Variable(TensorType.ofNdim(DType.FLOAT64, 2), "x");
        SharedVariable w = new SharedVariable(new TensorType(DType.FLOAT64, TensorType.UNKNOWN), NDArray.zeros(DType.FLOAT64, 1), "w");
        Variable z = T.add(T.dot(x, w), T.constant(1.0));
        List<Variable> outputs = List.of(T.mean(T.neg(T.exp(z))), T.gt(z, T.constant(0.5)), T.sum(T.sqr(w)));
        FunctionGraph g = FunctionGraph.clone(List.of(x), outputs, new IdentityHashMap<>());
        g.freeVariables();
        return GraphKey.of(g, "fast_run", linkerIdentity);
    }

    /** A stored program's bytes written and read back in memory. */
    static ProgramDescription storedProgram() {
        NativeProgram.Layout lay = new NativeProgram.Layout("tsl_seg0", 2, 1, new int[] {1}, new DType[] {DType.FLOAT64},
                new DType[] {null, DType.FLOAT64}, new int[] {1}, false);
        Constant c = new Constant(new TensorType(DType.FLOAT64), NDArray.scalar(1.0, DType.FLOAT64), null);
        ProgramDescription d = new ProgramDescription("rehearsal", false, false, 3, 2, new int[] {2},
                List.of(new ProgramDescription.SegmentStep(0, new int[] {0, 1}, new int[] {2}, lay)),
                List.of(new ProgramDescription.Leaf(0), new ProgramDescription.NewConstant(c)));
        try {
            return ProgramDescription.fromBytes(d.toBytes());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e); // in memory: cannot fail
        }
    }

    /** A downcall handle of a kernel's entry signature bound to an address (libc's strlen: never called). */
    static void entryPoint() {
        SymbolLookup libc = NativeLibraries.LINKER.defaultLookup();
        NativeLibraries.LINKER.downcallHandle(libc.find("strlen").orElseThrow(), NativeLibraries.ENTRY);
    }
}
