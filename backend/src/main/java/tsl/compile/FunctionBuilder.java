package tsl.compile;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.SharedVariable;
import tsl.graph.TslException;
import tsl.graph.Variable;

/** Theano's {@code function(...)}: checks the arguments, builds the function graph, rewrites and links it. */
public final class FunctionBuilder {
    private List<In> inputs = List.of();
    private List<Variable> outputs = List.of();
    private boolean singleOutput;
    private final List<Update> updates = new ArrayList<>();
    private final Map<Variable, Variable> givens = new IdentityHashMap<>();
    private Mode mode;
    private String name;
    private String onUnusedInput = "raise";
    private Boolean allowInputDowncast;
    private boolean profile;
    private boolean noDefaultUpdates;

    public FunctionBuilder inputs(List<In> in) { this.inputs = List.copyOf(in); return this; }
    public FunctionBuilder outputs(List<Variable> out, boolean single) { this.outputs = List.copyOf(out); this.singleOutput = single; return this; }
    public FunctionBuilder update(SharedVariable v, Variable expr) { updates.add(new Update(v, expr)); return this; }
    public FunctionBuilder given(Variable v, Variable replacement) { givens.put(v, replacement); return this; }
    public FunctionBuilder mode(Mode m) { this.mode = m; return this; }
    public FunctionBuilder name(String n) { this.name = n; return this; }
    public FunctionBuilder onUnusedInput(String s) { this.onUnusedInput = s; return this; }
    public FunctionBuilder allowInputDowncast(Boolean b) { this.allowInputDowncast = b; return this; }
    /** profile=True; also on for every function when the {@code profile} flag is set. */
    public FunctionBuilder profile(boolean p) { this.profile = p; return this; }
    /** no_default_updates=True: shared variables' default updates (random-stream states) are not applied. */
    public FunctionBuilder noDefaultUpdates(boolean b) { this.noDefaultUpdates = b; return this; }

    public Function build() {
        if (!noDefaultUpdates) {
            addDefaultUpdates();
        }
        Set<Variable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (In in : inputs) {
            Variable v = in.variable();
            if (v instanceof SharedVariable) {
                throw TslException.typeError("Cannot use a shared variable (" + v + ") as explicit input. Consider substituting "
                        + "a non-shared variable via the `givens` parameter");
            }
            if (v instanceof Constant) {
                throw TslException.typeError("Cannot use a constant (" + v + ") as an input of a function");
            }
            if (!seen.add(v)) {
                throw TslException.valueError("Variable " + v + " is used twice in inputs to theano.function");
            }
        }
        Map<SharedVariable, Boolean> updatedOnce = new IdentityHashMap<>();
        for (Update u : updates) {
            if (updatedOnce.put(u.variable(), true) != null) {
                throw TslException.valueError("this shared variable already has an update expression: " + u.variable());
            }
            if (!u.variable().type().isCompatible(u.expression().type()) && !sameDtypeAndRank(u)) {
                throw TslException.typeError("An update must have the same type as the original shared variable (shared_var="
                        + u.variable() + ", shared_var.type=" + u.variable().type() + ", update_val=" + u.expression()
                        + ", update_val.type=" + u.expression().type() + "). " + castHint(u));
            }
        }
        List<Variable> inVars = new ArrayList<>();
        for (In in : inputs) {
            inVars.add(in.variable());
        }
        List<Variable> allOutputs = new ArrayList<>(outputs);
        for (Update u : updates) {
            allOutputs.add(u.expression());
        }
        FunctionGraph graph = FunctionGraph.clone(inVars, allOutputs, givens);
        Set<Variable> free = graph.freeVariables();
        for (Variable v : free) {
            if (!(v instanceof SharedVariable) && !(v instanceof Constant) && !seen.contains(v)) {
                throw new TslException("MissingInputError", "Input " + describe(v) + " of the graph (indices start from 0), used to"
                        + " compute " + graph.outputs() + ", was not provided and not given a value. Use the Theano flag"
                        + " exception_verbosity='high', for more information on this error.");
            }
        }
        for (int i = 0; i < inVars.size(); i++) {
            Variable v = inVars.get(i);
            if (!free.contains(v) && !givens.containsKey(v)) {
                String msg = "theano.function was asked to create a function computing outputs given certain inputs, but the"
                        + " provided input variable at index " + i + " is not part of the computational graph needed to compute"
                        + " the outputs: " + describe(v) + ".\nTo make this error into a warning, you can pass the parameter"
                        + " on_unused_input='warn' to theano.function. To disable it completely, use on_unused_input='ignore'.";
                switch (onUnusedInput) {
                    case "raise" -> throw new TslException("UnusedInputError", msg);
                    case "warn" -> System.err.println("UserWarning: " + msg);
                    case "ignore" -> { }
                    default -> throw TslException.valueError("Invalid value for keyword on_unused_input of theano.function: '"
                            + onUnusedInput + "'.\nValid values are 'raise', 'warn', and 'ignore'.");
                }
            }
        }
        CachedCompile cache = CachedCompile.start(graph, inVars, mode != null ? mode : Mode.fromName(null),
                (mode != null ? mode : Mode.fromName(null)).newLinker(), profile || Config.profileAll());
        ProgramStore.Cached hit = cache != null ? cache.lookup() : null;
        if (hit != null) {
            // a warm start: the program stored for this very graph, without rewrites or code generation
            Function f = new Function(name, inputs, outputs.size(), singleOutput, hit.program(), hit.freeOrder(), updates, allowInputDowncast, null);
            f.setGraph(() -> cache.optimized().graph());
            tsl.printing.GraphDump.record(f);
            return f;
        }
        (mode != null ? mode : Mode.fromName(null)).warmUpLinker(); // overlaps the rewrites below
        long rewriteStart = System.nanoTime();
        free = GraphRewriting.optimize(graph, (mode != null ? mode : Mode.fromName(null)).optimizer());
        long rewriteNanos = System.nanoTime() - rewriteStart;
        List<Variable> freeOrder = new ArrayList<>(inVars);
        for (Variable v : free) {
            if (!seen.contains(v)) {
                freeOrder.add(v);
            }
        }
        Mode m = mode != null ? mode : Mode.fromName(null);
        ProfileStats stats = profile || Config.profileAll() ? Profiles.register(new ProfileStats(name)) : null;
        long linkStart = System.nanoTime();
        Linker.Program program = m.newLinker().link(graph, freeOrder, stats);
        if (stats != null) {
            stats.recordCompile(rewriteNanos, System.nanoTime() - linkStart, graph.toposort().size());
        }
        if (cache != null) {
            cache.store(program, freeOrder);
        }
        Function f = new Function(name, inputs, outputs.size(), singleOutput, program, freeOrder, updates, allowInputDowncast, stats);
        f.setGraph(graph);
        tsl.printing.GraphDump.record(f); // tsl --graph: the picture of every compiled function
        return f;
    }

    /** Adds the default update of every shared variable the graph reads and no explicit update covers. */
    private void addDefaultUpdates() {
        Set<SharedVariable> covered = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Update u : updates) {
            covered.add(u.variable());
        }
        java.util.Deque<Variable> work = new java.util.ArrayDeque<>(outputs);
        for (Update u : updates) {
            work.add(u.expression());
        }
        work.addAll(givens.values());
        Set<Variable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        while (!work.isEmpty()) {
            Variable v = work.pop();
            if (!seen.add(v)) {
                continue;
            }
            if (v instanceof SharedVariable s && s.defaultUpdate() != null && covered.add(s)) {
                updates.add(new Update(s, s.defaultUpdate()));
                work.add(s.defaultUpdate());
            }
            if (v.owner() != null) {
                work.addAll(v.owner().inputs());
            }
        }
    }

    private static boolean sameDtypeAndRank(Update u) {
        // a shared variable's static shape is unknown in every dimension unless broadcastable was given
        return u.variable().dtype() == u.expression().dtype() && u.variable().ndim() == u.expression().ndim();
    }

    private static String castHint(Update u) {
        if (u.variable().dtype() != u.expression().dtype()) {
            return "If the difference is related to the dtype, you can cast the update value with "
                    + "theano.tensor.cast(update_val, '" + u.variable().dtype() + "').";
        }
        return "If the difference is related to the broadcast pattern, you can call the tensor.unbroadcast"
                + " or tensor.patternbroadcast functions on the update value.";
    }

    private static String describe(Variable v) {
        return v.name() != null ? v.name() : v.toString();
    }
}
