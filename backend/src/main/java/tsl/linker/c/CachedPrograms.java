package tsl.linker.c;

import java.lang.foreign.SymbolLookup;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import tsl.compile.GraphKey;
import tsl.compile.Linker;
import tsl.compile.ProgramStore;
import tsl.graph.Constant;
import tsl.graph.Variable;

/**
 * Turns a linked {@link NativeProgram} into a {@link ProgramDescription} and back. Only
 * programs made of native segments alone are stored: a Java step keeps an Apply node to run
 * ({@code perform}), which would mean storing the op itself.
 */
final class CachedPrograms {
    private CachedPrograms() {}

    /** What the cache keeps of {@code p}, except where its free values come from; null when it has Java steps. */
    static ProgramDescription describe(NativeProgram p, NativeLibraries.Kernel kernel) {
        List<ProgramDescription.SegmentStep> steps = new ArrayList<>();
        NativeProgram.Step[] all = p.steps();
        for (int i = 0; i < all.length; i++) {
            if (!(all[i] instanceof NativeProgram.NativeStep n)) {
                return null;
            }
            steps.add(new ProgramDescription.SegmentStep(n.index(), n.in(), n.exports(), p.layouts()[i]));
        }
        return new ProgramDescription(kernel.key(), kernel.threads(), kernel.blas(), p.slotCount(), p.freeCount(),
                p.outputSlots(), steps, List.of());
    }

    static void store(ProgramCache programs, GraphKey key, Linker.Program program, List<Variable> freeOrder) {
        if (!(program instanceof NativeProgram np) || np.description == null || freeOrder.size() != np.freeCount()) {
            return;
        }
        Map<Variable, Integer> leaf = new IdentityHashMap<>();
        List<Variable> leaves = key.leaves();
        for (int i = 0; i < leaves.size(); i++) {
            leaf.putIfAbsent(leaves.get(i), i);
        }
        List<ProgramDescription.Free> free = new ArrayList<>();
        for (Variable v : freeOrder) {
            Integer i = leaf.get(v);
            if (i != null) {
                free.add(new ProgramDescription.Leaf(i));
            } else if (v instanceof Constant c) {
                free.add(new ProgramDescription.NewConstant(c));
            } else {
                return; // a free variable the key does not name: not storable
            }
        }
        programs.write(key.hash(), np.description.withFree(free));
    }

    /** The program stored under {@code key} with its kernel loaded, or null when either is missing or damaged. */
    static ProgramStore.Cached load(ProgramCache programs, KernelCache kernels, GraphKey key, NativeProgram.ErrorNodes errorNodes) {
        CompileTrace.phase("graph-key");
        ProgramDescription d = programs.read(key.hash());
        CompileTrace.phase("program-read");
        ProgramStore.Cached hit = d == null || d.free.size() != d.nfree ? null : load(d, kernels, key, errorNodes);
        CompileTrace.end(hit != null ? "program cache hit, " + d.steps.size() + " segment(s)" : "program cache miss");
        return hit;
    }

    private static ProgramStore.Cached load(ProgramDescription d, KernelCache kernels, GraphKey key, NativeProgram.ErrorNodes errorNodes) {
        List<Variable> freeOrder = new ArrayList<>();
        for (ProgramDescription.Free f : d.free) {
            switch (f) {
                case ProgramDescription.Leaf l -> {
                    if (l.index() < 0 || l.index() >= key.leaves().size()) {
                        return null;
                    }
                    freeOrder.add(key.leaves().get(l.index()));
                }
                case ProgramDescription.NewConstant c -> freeOrder.add(c.constant());
            }
        }
        SymbolLookup lib = NativeLibraries.loadCached(d.kernelKey, d.threads, d.blas, kernels);
        if (lib == null) {
            return null; // the kernel is gone or corrupt: compiling the graph again rebuilds it
        }
        List<NativeProgram.Step> steps = new ArrayList<>();
        NativeProgram.Layout[] layouts = new NativeProgram.Layout[d.steps.size()];
        for (int i = 0; i < layouts.length; i++) {
            ProgramDescription.SegmentStep s = d.steps.get(i);
            layouts[i] = s.layout();
            steps.add(new NativeProgram.NativeStep(null, NativeLibraries.entry(lib, s.layout().functionName), s.index(), s.in(), s.exports()));
        }
        NativeProgram p = new NativeProgram(steps, layouts, d.nslots, d.nfree, d.outputSlots, errorNodes);
        CompileTrace.phase("entries");
        return new ProgramStore.Cached(p, freeOrder);
    }
}
