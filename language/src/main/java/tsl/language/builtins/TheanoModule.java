package tsl.language.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tsl.compile.Config;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.InputFilter;
import tsl.compile.JavaValues;
import tsl.compile.Mode;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.language.runtime.Interop;
import tsl.language.runtime.PyDict;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** The module tsl (alias theano): function, shared, grad, Mode, In, Out, config. */
final class TheanoModule {
    private TheanoModule() {}

    static PyModule create(PyModule tensor) {
        PyModule m = new PyModule("theano");
        m.put("tensor", tensor);
        PyModule sandbox = new PyModule("theano.sandbox");
        sandbox.put("rng_mrg", RandomStreamsClass.module("theano.sandbox.rng_mrg", "MRG_RandomStreams"));
        m.put("sandbox", sandbox);
        tensor.put("shared_randomstreams", RandomStreamsClass.module("theano.tensor.shared_randomstreams", "RandomStreams"));
        m.fn("function", TheanoModule::function);
        m.fn("shared", TheanoModule::shared);
        m.fn("grad", TheanoModule::grad);
        GradBuiltins.install(m, tensor);
        m.fn("Mode", (a, kw) -> {
            Args args = new Args("Mode", a, kw).only("linker", "optimizer");
            Object linker = args.opt(0, "linker");
            Object opt = args.opt(1, "optimizer");
            // Theano: optimizer='default' (or left out) is fast_run; an explicit None means no rewrites
            boolean given = kw.containsKey("optimizer") || a.size() > 1;
            String optName = opt == PyNone.NONE ? (given ? "None" : "fast_run") : PyStr.str(opt);
            return new Mode(linker == PyNone.NONE ? Config.linker() : PyStr.str(linker), optName.equals("default") ? "fast_run" : optName);
        });
        m.fn("In", (a, kw) -> {
            Args args = new Args("In", a, kw).only("variable", "name", "value", "borrow", "mutable");
            Variable v = (Variable) args.get(0, "variable", null);
            Object name = args.opt(1, "name");
            Object value = args.get(2, "value", null == null ? PyNone.NONE : null);
            boolean hasValue = kw.containsKey("value") || a.size() > 2;
            return new In(v, name == PyNone.NONE ? v.name() : PyStr.str(name), hasValue ? Interop.toJava(value) : null, hasValue,
                    PyOps.isTrue(args.get(3, "borrow", false)), PyOps.isTrue(args.get(4, "mutable", false)));
        });
        // Out(borrow=True) permits returning a buffer the next call may overwrite; outputs here
        // are always fresh arrays, so honouring borrow=False is all that is needed
        m.fn("Out", (a, kw) -> new Args("Out", a, kw).only("variable", "borrow").get(0, "variable", null));
        PyModule config = new PyModule("theano.config");
        config.put("floatX", Config.floatX().numpyName());
        config.put("device", Config.device());
        config.put("mode", Config.mode());
        m.put("config", config);
        ControlModule.install(m);
        return m;
    }

    private static List<Object> seq(Object o) {
        if (o instanceof PyList || o instanceof PyTuple) {
            return PyOps.toList(o);
        }
        return List.of(o);
    }

    static Object function(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("function", a, kw).only("inputs", "outputs", "mode", "updates", "givens", "no_default_updates",
                "accept_inplace", "name", "rebuild_strict", "allow_input_downcast", "profile", "on_unused_input");
        List<In> inputs = new ArrayList<>();
        for (Object i : seq(args.get(0, "inputs", null))) {
            if (i instanceof In in) {
                inputs.add(in);
            } else if (i instanceof Variable v) {
                inputs.add(In.of(v));
            } else {
                throw TslError.of("TypeError", "function() inputs must be variables, got " + PyOps.typeName(i));
            }
        }
        Object outs = args.opt(1, "outputs");
        FunctionBuilder b = new FunctionBuilder().inputs(inputs);
        if (outs == PyNone.NONE) {
            b.outputs(List.of(), false);
        } else if (outs instanceof PyList || outs instanceof PyTuple) {
            List<Variable> vs = new ArrayList<>();
            for (Object o : PyOps.toList(outs)) {
                vs.add(T.asTensorVariable(PyOps.toGraphOperand(o)));
            }
            b.outputs(vs, false);
        } else {
            b.outputs(List.of(T.asTensorVariable(PyOps.toGraphOperand(outs))), true);
        }
        for (Object[] pair : pairs(args.opt(3, "updates"), "updates")) {
            if (!(pair[0] instanceof SharedVariable s)) {
                throw TslError.of("TypeError", "update target must be a SharedVariable, got " + PyOps.typeName(pair[0]));
            }
            b.update(s, T.asTensorVariable(PyOps.toGraphOperand(pair[1])));
        }
        for (Object[] pair : pairs(args.opt(4, "givens"), "givens")) {
            b.given((Variable) pair[0], T.asTensorVariable(PyOps.toGraphOperand(pair[1])));
        }
        Object mode = args.opt(2, "mode");
        if (mode instanceof Mode md) {
            b.mode(md);
        } else if (mode != PyNone.NONE) {
            b.mode(Mode.fromName(PyStr.str(mode)));
        }
        Object name = args.opt(7, "name");
        if (name != PyNone.NONE) {
            b.name(PyStr.str(name));
        }
        Object downcast = args.opt(9, "allow_input_downcast");
        b.allowInputDowncast(downcast == PyNone.NONE ? null : PyOps.isTrue(downcast));
        b.onUnusedInput(PyStr.str(args.get(11, "on_unused_input", "raise")));
        b.profile(PyOps.isTrue(args.get(10, "profile", false)));
        b.noDefaultUpdates(PyOps.isTrue(args.get(5, "no_default_updates", false)));
        return new FunctionObject(b.build());
    }

    private static List<Object[]> pairs(Object o, String what) {
        List<Object[]> out = new ArrayList<>();
        if (o == PyNone.NONE) {
            return out;
        }
        if (o instanceof PyDict d) {
            for (var e : d.entries()) {
                out.add(new Object[] {e.getKey().value(), e.getValue()});
            }
            return out;
        }
        for (Object p : PyOps.toList(o)) {
            List<Object> kv = PyOps.toList(p);
            if (kv.size() != 2) {
                throw TslError.of("ValueError", what + " must be pairs (variable, expression)");
            }
            out.add(new Object[] {kv.get(0), kv.get(1)});
        }
        return out;
    }

    static Object shared(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("shared", a, kw).only("value", "name", "strict", "allow_downcast", "borrow", "broadcastable");
        Object value = args.get(0, "value", null);
        NDArray arr;
        if (value instanceof Double d) {
            arr = NDArray.scalar(d, Config.floatX());
        } else if (value instanceof Long l) {
            arr = NDArray.scalar(l, DType.INT64);
        } else if (value instanceof Boolean bo) {
            arr = NDArray.scalar(bo);
        } else {
            arr = JavaValues.asArray(Interop.toJava(value));
        }
        boolean borrow = PyOps.isTrue(args.get(4, "borrow", false));
        if (!borrow || arr != value) {
            arr = arr.copy();
        }
        Object bc = args.opt(5, "broadcastable");
        int[] shape = new int[arr.ndim()];
        java.util.Arrays.fill(shape, TensorType.UNKNOWN);
        if (bc != PyNone.NONE) {
            List<Object> flags = PyOps.toList(bc);
            for (int i = 0; i < shape.length && i < flags.size(); i++) {
                if (PyOps.isTrue(flags.get(i))) {
                    shape[i] = 1;
                }
            }
        }
        Object name = args.opt(1, "name");
        TensorType type = new TensorType(arr.dtype(), shape);
        InputFilter.filter(type, arr, true, null, "shared");
        return new SharedVariable(type, arr, name == PyNone.NONE ? null : PyStr.str(name));
    }

    static Object grad(List<Object> a, Map<String, Object> kw) {
        return GradBuiltins.grad(a, kw);
    }
}
