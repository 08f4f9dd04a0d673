package tsl.compile;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import tsl.graph.Constant;
import tsl.graph.SharedVariable;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.NDArray;

/**
 * A compiled function. A call converts its arguments to the inputs' types, runs the linked
 * program on them and on the current values of the shared variables, then applies every
 * update together. The updated shared variables are locked for the whole call (in a global
 * order, so calls never deadlock): two concurrent calls never lose an update, and a call
 * that fails leaves every shared variable as it was.
 */
public final class Function {
    private final String name;
    private final List<In> inputs;
    private final int nOutputs;
    private final boolean singleOutput;
    private final Linker.Program program;
    private final Variable[] freeVariables;   // inputs first, then shared variables and constants
    private final SharedVariable[] updated;   // sorted by id: the lock order
    private final int[] updateOutput;         // program output index of each update
    private final ReentrantLock[] locks;
    private final tsl.graph.TensorType[] inputTypes;   // per input, looked up once
    private final String[] inputWhat;                  // "input i", for error messages
    private final boolean lean;                         // no updates, no shared variables: see runLean
    private final Boolean allowInputDowncast;
    private final ProfileStats profile;     // null unless profile=True
    private final boolean deviceValues;       // the program keeps shared values on its device
    private final boolean[] mayStayOnDevice;  // per program output: an update's value only

    Function(String name, List<In> inputs, int nOutputs, boolean singleOutput, Linker.Program program,
             List<Variable> freeVariables, List<Update> updates, Boolean allowInputDowncast, ProfileStats profile) {
        this.profile = profile;
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.inputTypes = new tsl.graph.TensorType[this.inputs.size()];
        this.inputWhat = new String[inputTypes.length];
        for (int i = 0; i < inputTypes.length; i++) {
            inputTypes[i] = this.inputs.get(i).variable().type();
            inputWhat[i] = "input " + i;
        }
        boolean anyShared = false;
        for (Variable v : freeVariables) {
            anyShared |= v instanceof SharedVariable;
        }
        this.lean = updates.isEmpty() && !anyShared;
        this.nOutputs = nOutputs;
        this.singleOutput = singleOutput;
        this.program = program;
        this.freeVariables = freeVariables.toArray(new Variable[0]);
        List<Update> sorted = new ArrayList<>(updates);
        sorted.sort((a, b) -> Long.compare(a.variable().id(), b.variable().id()));
        this.updated = new SharedVariable[sorted.size()];
        this.updateOutput = new int[sorted.size()];
        this.locks = new ReentrantLock[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            updated[i] = sorted.get(i).variable();
            updateOutput[i] = nOutputs + updates.indexOf(sorted.get(i));
            locks[i] = updated[i].lock();
        }
        this.allowInputDowncast = allowInputDowncast;
        this.deviceValues = program.keepsValuesOnDevice();
        this.mayStayOnDevice = new boolean[nOutputs + updates.size()];
        java.util.Arrays.fill(mayStayOnDevice, nOutputs, mayStayOnDevice.length, true);
    }

    public String name() { return name; }
    public List<In> inputs() { return inputs; }
    public boolean singleOutput() { return singleOutput; }
    /** The profile of a function compiled with profile=True, else null. */
    public ProfileStats profile() { return profile; }
    /** Whether a call may run a loop that polls {@link Cancellation}: the linker's {@link Linker.Program#mayLoop}. */
    public boolean mayLoop() { return program.mayLoop(); }

    /** Calls with positional arguments only; returns the outputs as arrays. */
    public NDArray[] call(Object... args) {
        if (profile == null && args.length == inputs.size()) {
            // the hot path: every input given, no keywords, no list or map to build
            NDArray[] free = new NDArray[freeVariables.length];
            for (int i = 0; i < args.length; i++) {
                free[i] = filterInput(i, args[i]);
            }
            return lean ? runLean(free) : execute(free);
        }
        return call(Arrays.asList(args), Collections.emptyMap());
    }

    /** Calls with positional and keyword (input name) arguments. */
    public NDArray[] call(List<Object> args, Map<String, Object> kwargs) {
        if (profile == null) {
            return run(args, kwargs);
        }
        long t0 = System.nanoTime();
        try {
            return run(args, kwargs);
        } finally {
            profile.recordCall(System.nanoTime() - t0);
        }
    }

    private NDArray[] run(List<Object> args, Map<String, Object> kwargs) {
        NDArray[] free = new NDArray[freeVariables.length];
        bindArguments(args, kwargs, free);
        return execute(free);
    }

    /** Runs the program on bound inputs ({@code free}'s first slots), applying the updates. */
    private NDArray[] execute(NDArray[] free) {
        for (ReentrantLock l : locks) {
            l.lock();
        }
        try {
            for (int i = inputs.size(); i < free.length; i++) {
                Variable v = freeVariables[i];
                // a program that keeps values on its device reads them there, without a copy to the host
                free[i] = v instanceof SharedVariable s ? (deviceValues ? s.storedValue() : s.getValue(true)) : ((Constant) v).value();
            }
            NDArray[] results = deviceValues ? program.run(free, mayStayOnDevice) : program.run(free);
            Set<MemorySegment> owned = Collections.newSetFromMap(new IdentityHashMap<>());
            for (NDArray f : free) {
                owned.add(f.segment());
            }
            NDArray[] outs = new NDArray[nOutputs];
            for (int i = 0; i < nOutputs; i++) {
                outs[i] = owned.contains(results[i].segment()) ? results[i].copy() : results[i];
            }
            // every new value is computed before any is stored: all or nothing
            NDArray[] newValues = new NDArray[updated.length];
            for (int i = 0; i < updated.length; i++) {
                NDArray v = results[updateOutput[i]];
                newValues[i] = owned.contains(v.segment()) || isOutput(v, outs) ? v.copy() : v;
            }
            SharedVariable.DeviceValue[] onDevice = new SharedVariable.DeviceValue[updated.length];
            for (int i = 0; i < updated.length && deviceValues; i++) {
                onDevice[i] = program.deviceValue(newValues[i]);
            }
            for (int i = 0; i < updated.length; i++) {
                if (onDevice[i] != null) {
                    updated[i].setDeviceValue(newValues[i], onDevice[i]);
                } else {
                    updated[i].setValueUnchecked(newValues[i]);
                }
            }
            return outs;
        } finally {
            for (int i = locks.length - 1; i >= 0; i--) {
                locks[i].unlock();
            }
        }
    }

    /**
     * {@link #execute} for a function with no updates and no shared variables (nothing to lock
     * or store): the same results without the per-call set of argument memory — the few
     * arguments are scanned instead — and with the program's own result array.
     */
    private NDArray[] runLean(NDArray[] free) {
        for (int i = inputs.size(); i < free.length; i++) {
            free[i] = ((Constant) freeVariables[i]).value();
        }
        NDArray[] results = deviceValues ? program.run(free, mayStayOnDevice) : program.run(free);
        NDArray[] outs = results.length == nOutputs ? results : Arrays.copyOf(results, nOutputs);
        for (int i = 0; i < nOutputs; i++) {
            if (sharesMemory(outs[i], free)) {
                outs[i] = outs[i].copy();   // an output must not alias an argument or a constant
            }
        }
        return outs;
    }

    private static boolean sharesMemory(NDArray v, NDArray[] free) {
        MemorySegment m = v.segment();
        for (NDArray f : free) {
            if (f.segment() == m) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOutput(NDArray v, NDArray[] outs) {
        for (NDArray o : outs) {
            if (o.segment() == v.segment()) {
                return true;
            }
        }
        return false;
    }

    private void bindArguments(List<Object> args, Map<String, Object> kwargs, NDArray[] free) {
        int n = inputs.size();
        if (args.size() > n) {
            throw TslException.typeError("Function call got too many positional arguments: " + describeName()
                    + " takes " + n + ", got " + args.size());
        }
        Object[] given = new Object[n];
        boolean[] set = new boolean[n];
        for (int i = 0; i < args.size(); i++) {
            given[i] = args.get(i);
            set[i] = true;
        }
        for (Map.Entry<String, Object> e : kwargs.entrySet()) {
            int idx = -1;
            for (int i = 0; i < n; i++) {
                if (e.getKey().equals(inputs.get(i).name())) {
                    idx = i;
                    break;
                }
            }
            if (idx < 0) {
                throw TslException.typeError("Unknown input or state: " + e.getKey() + " in call of " + describeName());
            }
            if (set[idx]) {
                throw TslException.typeError("Multiple values for input: " + e.getKey());
            }
            given[idx] = e.getValue();
            set[idx] = true;
        }
        for (int i = 0; i < n; i++) {
            In in = inputs.get(i);
            if (!set[i]) {
                if (!in.hasValue()) {
                    throw TslException.typeError("Missing required input: " + (in.name() != null ? in.name() : in.variable().toString()));
                }
                given[i] = in.value();
            }
            free[i] = filterInput(i, given[i]);
        }
    }

    /** Converts the value given for input {@code i} to its type, or says which argument was bad. */
    private NDArray filterInput(int i, Object value) {
        try {
            return InputFilter.filter(inputTypes[i], value, false, allowInputDowncast, inputWhat[i]);
        } catch (TslException e) {
            throw new TslException(e.pythonType(), "Bad input argument to theano function with name \"" + describeName()
                    + "\" at index " + i + " (0-based).  " + e.getMessage(), e.location(), e);
        }
    }

    private String describeName() {
        return name != null ? name : "<function>";
    }

    @Override
    public String toString() {
        return "<theano.compile.function.types.Function object" + (name != null ? " " + name : "") + ">";
    }

    private volatile tsl.graph.FunctionGraph graph;

    void setGraph(tsl.graph.FunctionGraph g) { this.graph = g; }

    private volatile java.util.function.Supplier<tsl.graph.FunctionGraph> graphSource;

    /** The optimized graph made on first request (a function loaded from the program cache was not rewritten). */
    void setGraph(java.util.function.Supplier<tsl.graph.FunctionGraph> source) { this.graphSource = source; }

    /** The optimized graph this function runs (Theano's {@code f.maker.fgraph}), for debugprint. */
    public tsl.graph.FunctionGraph graph() {
        if (graph == null && graphSource != null) {
            graph = graphSource.get();
        }
        return graph;
    }
}
