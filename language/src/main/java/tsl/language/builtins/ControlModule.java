package tsl.language.builtins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tsl.compile.Config;
import tsl.graph.SharedVariable;
import tsl.graph.Variable;
import tsl.language.runtime.PyDict;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.ops.T;
import tsl.ops.control.IfElse;
import tsl.ops.control.ScanBuilder;
import tsl.ops.control.ScanBuilder.OutputInfo;
import tsl.ops.control.ScanBuilder.Sequence;

/**
 * Loops and conditions inside graphs: {@code ifelse} (module theano.ifelse), {@code scan},
 * {@code map}, {@code reduce}, {@code foldl}, {@code foldr} and {@code until} (module
 * theano.scan_module, also reachable as theano.scan.utils / pytensor.scan.utils).
 */
public final class ControlModule {
    private ControlModule() {}

    /** Names the prelude gets from here (map and reduce keep Python's meaning there). */
    static final String[] PRELUDE = {"scan", "ifelse", "until"};

    /** Theano's {@code until(condition)}: returned by a scan step to stop the loop. */
    record Until(Variable condition) {
        @Override
        public String toString() {
            return "until(" + condition + ")";
        }
    }

    /** Adds theano.ifelse, theano.scan_module and the loop functions to the theano module. */
    static void install(PyModule theano) {
        PyModule ifelse = new PyModule("theano.ifelse");
        ifelse.fn("ifelse", ControlModule::ifelse);
        PyModule scanModule = new PyModule("theano.scan_module");
        scanModule.fn("scan", ControlModule::scan);
        scanModule.fn("until", (a, kw) -> {
            Args args = new Args("until", a, kw).only("condition");
            return new Until(T.asTensorVariable(PyOps.toGraphOperand(args.get(0, "condition", null))));
        });
        scanModule.fn("map", ControlModule::map);
        scanModule.fn("reduce", (a, kw) -> reduce("reduce", a, kw, null));
        scanModule.fn("foldl", (a, kw) -> reduce("foldl", a, kw, false));
        scanModule.fn("foldr", (a, kw) -> reduce("foldr", a, kw, true));
        scanModule.put("utils", scanModule);
        scanModule.put("scan_utils", scanModule);
        theano.put("ifelse", ifelse);
        theano.put("scan_module", scanModule);
        for (String n : new String[] {"scan", "map", "reduce", "foldl", "foldr"}) {
            theano.put(n, scanModule.attrs.get(n));
        }
        theano.put("until", scanModule.attrs.get("until"));
    }

    /** The module a dotted name imports, or null: theano.ifelse, theano.scan_module and their PyTensor spellings. */
    static PyModule module(String name, PyModule theano) {
        return switch (name) {
            case "theano.ifelse", "tsl.ifelse", "pytensor.ifelse" -> (PyModule) theano.attrs.get("ifelse");
            case "theano.scan_module", "theano.scan_module.scan_utils", "theano.scan", "theano.scan.utils", "tsl.scan",
                 "tsl.scan.utils", "pytensor.scan", "pytensor.scan.utils", "pytensor.scan.basic" ->
                    (PyModule) theano.attrs.get("scan_module");
            default -> null;
        };
    }

    // ------------------------------------------------------------------ ifelse

    /**
     * {@code a if cond else b} with a symbolic condition: a lazy ifelse of the two branch values.
     * Both branch expressions are evaluated by the interpreter (building graph, not computing
     * values); only the taken one is computed when the function runs.
     */
    public static Variable conditional(Variable cond, Object then, Object otherwise) {
        if (cond.ndim() != 0) {
            throw TslError.of("TypeError", "a conditional expression needs a scalar condition, got a symbolic " + cond.type()
                    + " (use switch(cond, a, b) for an elementwise choice)");
        }
        Variable a = variable(then);
        Variable b = variable(otherwise);
        if (a.dtype() != b.dtype()) {
            // one name, two dtypes (a float32 start and a float64 result of the branch): the wider one, as NumPy promotes
            tsl.tensor.DType d = tsl.tensor.DType.promote(a.dtype(), b.dtype());
            a = a.dtype() == d ? a : T.cast(a, d);
            b = b.dtype() == d ? b : T.cast(b, d);
        }
        try {
            return IfElse.build(cond, List.of(a), List.of(b), null).get(0);
        } catch (tsl.graph.TslException e) {
            throw tsl.language.runtime.Interop.toError(e);
        }
    }

    static Object ifelse(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("ifelse", a, kw).only("condition", "then_branch", "else_branch", "name");
        Variable cond = variable(args.get(0, "condition", null));
        Object thenB = args.get(1, "then_branch", null);
        Object elseB = args.get(2, "else_branch", null);
        Object name = args.opt(3, "name");
        List<Variable> outs = IfElse.build(cond, branch(thenB), branch(elseB), name == PyNone.NONE ? null : PyStr.str(name));
        if (thenB instanceof PyList) {
            return new PyList(new ArrayList<>(outs));
        }
        if (thenB instanceof PyTuple) {
            return PyTuple.of(new ArrayList<>(outs));
        }
        return outs.get(0);
    }

    private static List<Variable> branch(Object o) {
        List<Variable> vs = new ArrayList<>();
        if (o instanceof PyList || o instanceof PyTuple) {
            for (Object e : PyOps.toList(o)) {
                vs.add(variable(e));
            }
        } else {
            vs.add(variable(o));
        }
        return vs;
    }

    private static Variable variable(Object o) {
        return T.asTensorVariable(PyOps.toGraphOperand(o));
    }

    // ------------------------------------------------------------------ scan

    static Object scan(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("scan", a, kw).only("fn", "sequences", "outputs_info", "non_sequences", "n_steps",
                "truncate_gradient", "go_backwards", "mode", "name", "profile", "allow_gc", "strict", "return_list");
        return run(args.get(0, "fn", null), args.opt(1, "sequences"), args.opt(2, "outputs_info"), args.opt(3, "non_sequences"),
                args.opt(4, "n_steps"), args.get(5, "truncate_gradient", -1L), PyOps.isTrue(args.get(6, "go_backwards", false)),
                args.opt(8, "name"), PyOps.isTrue(args.get(12, "return_list", false)), PyOps.isTrue(args.get(11, "strict", false)));
    }

    private static PyTuple run(Object fn, Object sequences, Object outputsInfo, Object nonSequences, Object nSteps, Object truncate,
                               boolean goBackwards, Object name, boolean returnList, boolean strict) {
        List<Sequence> seqs = new ArrayList<>();
        for (Object s : items(sequences)) {
            seqs.add(sequence(s));
        }
        List<OutputInfo> infos = new ArrayList<>();
        for (Object o : items(outputsInfo)) {
            infos.add(outputInfo(o));
        }
        List<Variable> nonSeqs = new ArrayList<>();
        for (Object o : items(nonSequences)) {
            nonSeqs.add(variable(o));
        }
        Variable steps = nSteps == PyNone.NONE ? null : variable(nSteps);
        int trunc = (int) tsl.language.runtime.Arith.toLong(truncate);
        ScanBuilder.Result r = ScanBuilder.scan(placeholders -> step(PyOps.call(fn, new ArrayList<>(placeholders), Map.of())),
                seqs, infos, nonSeqs, steps, trunc, goBackwards, name == PyNone.NONE ? null : PyStr.str(name), strict);
        Object outs;
        if (r.outputs().size() == 1 && !returnList) {
            outs = r.outputs().get(0);
        } else {
            outs = new PyList(new ArrayList<>(r.outputs()));
        }
        PyDict updates = new PyDict();
        r.updates().forEach(updates::put);
        return PyTuple.of(outs, updates);
    }

    /** None → nothing; a list or tuple → its items; anything else → itself alone. */
    private static List<Object> items(Object o) {
        if (o == PyNone.NONE) {
            return List.of();
        }
        if (o instanceof PyList || o instanceof PyTuple) {
            return PyOps.toList(o);
        }
        return List.of(o);
    }

    private static Sequence sequence(Object s) {
        if (s instanceof PyDict d) {
            Object input = d.get("input");
            if (input == null) {
                throw TslError.of("ValueError", "scan: a sequence given as a dict needs the key 'input'");
            }
            Object taps = d.get("taps");
            return new Sequence(variable(input), taps == null || taps == PyNone.NONE ? new int[] {0} : ints(taps));
        }
        return new Sequence(variable(s));
    }

    private static OutputInfo outputInfo(Object o) {
        if (o == PyNone.NONE) {
            return OutputInfo.none();
        }
        if (o instanceof PyDict d) {
            Object init = d.get("initial");
            if (init == null || init == PyNone.NONE) {
                return OutputInfo.none();
            }
            Object taps = d.get("taps");
            return new OutputInfo(initial(init), taps == null || taps == PyNone.NONE ? new int[] {-1} : ints(taps));
        }
        return OutputInfo.of(initial(o));
    }

    /** A Python float initial state is floatX, as Theano's as_tensor_variable makes it. */
    private static Variable initial(Object o) {
        if (o instanceof Double d) {
            return T.constant(d, Config.floatX());
        }
        return variable(o);
    }

    private static int[] ints(Object o) {
        List<Object> l = o instanceof PyList || o instanceof PyTuple ? PyOps.toList(o) : List.of(o);
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = PyOps.toIndex(l.get(i));
        }
        return r;
    }

    /**
     * Reads what the step function returned, as Theano does: outputs (a variable or a list of
     * them), updates (a dict or a list of (shared, expression) pairs), an {@link Until}, or a
     * tuple of up to three of these in any order.
     */
    private static ScanBuilder.Step step(Object r) {
        if (r instanceof Until u) {
            return new ScanBuilder.Step(List.of(), Map.of(), u.condition());
        }
        if (isOutputs(r)) {
            return new ScanBuilder.Step(outputs(r), Map.of(), null);
        }
        if (isUpdates(r)) {
            return new ScanBuilder.Step(List.of(), updates(r), null);
        }
        List<Object> parts = PyOps.toList(r);
        List<Variable> outs = List.of();
        Map<SharedVariable, Variable> upd = Map.of();
        Variable until = null;
        for (Object p : parts) {
            if (p instanceof Until u) {
                until = u.condition();
            } else if (isUpdates(p)) {
                upd = updates(p);
            } else if (isOutputs(p)) {
                outs = outputs(p);
            } else {
                throw TslError.of("ValueError", "scan: the step function must return outputs, updates and/or an until"
                        + " condition, got a " + PyOps.typeName(p));
            }
        }
        return new ScanBuilder.Step(outs, upd, until);
    }

    private static boolean isOutputLike(Object o) {
        return o instanceof Variable || o instanceof Long || o instanceof Double || o instanceof Boolean
                || o instanceof tsl.tensor.NDArray || o instanceof tsl.language.runtime.NpScalar;
    }

    private static boolean isOutputs(Object o) {
        if (isOutputLike(o)) {
            return true;
        }
        if (o instanceof PyList || o instanceof PyTuple) {
            for (Object e : PyOps.toList(o)) {
                if (!isOutputLike(e)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean isUpdates(Object o) {
        if (o instanceof PyDict) {
            return true;
        }
        if (o instanceof PyList || o instanceof PyTuple) {
            List<Object> l = PyOps.toList(o);
            if (l.isEmpty()) {
                return false;
            }
            for (Object e : l) {
                if (!((e instanceof PyTuple || e instanceof PyList) && PyOps.toList(e).size() == 2
                        && PyOps.toList(e).get(0) instanceof SharedVariable)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static List<Variable> outputs(Object o) {
        List<Variable> vs = new ArrayList<>();
        for (Object e : items(o)) {
            vs.add(variable(e));
        }
        return vs;
    }

    private static Map<SharedVariable, Variable> updates(Object o) {
        Map<SharedVariable, Variable> m = new LinkedHashMap<>();
        List<Object[]> pairs = new ArrayList<>();
        if (o instanceof PyDict d) {
            for (var e : d.entries()) {
                pairs.add(new Object[] {e.getKey().value(), e.getValue()});
            }
        } else {
            for (Object p : PyOps.toList(o)) {
                List<Object> kv = PyOps.toList(p);
                pairs.add(new Object[] {kv.get(0), kv.get(1)});
            }
        }
        for (Object[] kv : pairs) {
            if (!(kv[0] instanceof SharedVariable s)) {
                throw TslError.of("TypeError", "scan: an update must be keyed by a shared variable, got " + PyOps.typeName(kv[0]));
            }
            m.put(s, variable(kv[1]));
        }
        return m;
    }

    // ------------------------------------------------------------------ map, reduce, foldl, foldr

    static Object map(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("map", a, kw).only("fn", "sequences", "non_sequences", "truncate_gradient", "go_backwards", "mode",
                "name");
        return run(args.get(0, "fn", null), args.get(1, "sequences", null), PyNone.NONE, args.opt(2, "non_sequences"), PyNone.NONE,
                args.get(3, "truncate_gradient", -1L), PyOps.isTrue(args.get(4, "go_backwards", false)), args.opt(6, "name"), false, false);
    }

    /** reduce/foldl/foldr: a scan that keeps only the last step of each output. */
    static Object reduce(String fname, List<Object> a, Map<String, Object> kw, Boolean backwards) {
        Args args = backwards == null
                ? new Args(fname, a, kw).only("fn", "sequences", "outputs_info", "non_sequences", "go_backwards", "mode", "name")
                : new Args(fname, a, kw).only("fn", "sequences", "outputs_info", "non_sequences", "mode", "name");
        boolean back = backwards != null ? backwards : PyOps.isTrue(args.get(4, "go_backwards", false));
        Object nameArg = backwards == null ? args.opt(6, "name") : args.opt(5, "name");
        PyTuple r = run(args.get(0, "fn", null), args.get(1, "sequences", null), args.get(2, "outputs_info", null),
                args.opt(3, "non_sequences"), PyNone.NONE, -1L, back, nameArg, false, false);
        Object outs = r.items[0];
        Object last;
        if (outs instanceof PyList l) {
            List<Object> lasts = new ArrayList<>();
            for (Object o : PyOps.toList(l)) {
                lasts.add(T.subtensor(o, -1));
            }
            last = new PyList(lasts);
        } else {
            last = T.subtensor(outs, -1);
        }
        return PyTuple.of(last, r.items[1]);
    }
}
