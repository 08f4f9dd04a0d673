package tsl.language.builtins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.grad.Derivatives;
import tsl.grad.ForwardMode;
import tsl.grad.Gradient;
import tsl.grad.VerifyGrad;
import tsl.graph.Variable;
import tsl.language.runtime.ExceptionClasses;
import tsl.language.runtime.Interop;
import tsl.language.runtime.PyDict;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.language.runtime.Arith;
import tsl.ops.T;
import tsl.tensor.NDArray;

/**
 * theano.gradient: grad, jacobian, hessian, Lop, Rop, verify_grad and the gradient-shaping
 * identities, with Theano's signatures. An answer has the shape of the question: a list of
 * variables in, a list of gradients out; one variable, one gradient.
 */
final class GradBuiltins {
    private GradBuiltins() {}

    /** Creates theano.gradient and puts its functions where Theano has them too (theano.*, theano.tensor.*). */
    static void install(PyModule theano, PyModule tensor) {
        PyModule g = new PyModule("theano.gradient");
        g.fn("grad", GradBuiltins::grad);
        g.fn("jacobian", GradBuiltins::jacobian);
        g.fn("hessian", GradBuiltins::hessian);
        g.fn("Lop", GradBuiltins::lop);
        g.fn("Rop", GradBuiltins::rop);
        g.fn("verify_grad", GradBuiltins::verifyGrad);
        g.fn("disconnected_grad", (a, kw) -> T.disconnectedGrad(one("disconnected_grad", a, kw)));
        g.fn("zero_grad", (a, kw) -> T.zeroGrad(one("zero_grad", a, kw)));
        g.fn("consider_constant", (a, kw) -> T.zeroGrad(one("consider_constant", a, kw)));
        g.fn("grad_clip", (a, kw) -> {
            Args args = new Args("grad_clip", a, kw).only("x", "lower_bound", "upper_bound");
            return T.gradClip(PyOps.toGraphOperand(args.get(0, "x", null)), Arith.toDouble(args.get(1, "lower_bound", null)),
                    Arith.toDouble(args.get(2, "upper_bound", null)));
        });
        g.fn("grad_scale", (a, kw) -> {
            Args args = new Args("grad_scale", a, kw).only("x", "multiplier");
            return T.gradScale(PyOps.toGraphOperand(args.get(0, "x", null)), PyOps.toGraphOperand(args.get(1, "multiplier", null)));
        });
        for (String e : new String[] {"DisconnectedInputError", "NullTypeGradError", "GradientError"}) {
            g.put(e, ExceptionClasses.get(e));
        }
        theano.put("gradient", g);
        for (String n : new String[] {"grad", "Rop", "Lop"}) {
            theano.put(n, g.attrs.get(n));
        }
        for (String n : new String[] {"grad", "jacobian", "hessian", "Rop", "Lop", "verify_grad", "consider_constant"}) {
            tensor.put(n, g.attrs.get(n));
        }
    }

    private static Object one(String name, List<Object> a, Map<String, Object> kw) {
        return PyOps.toGraphOperand(new Args(name, a, kw).only("x").get(0, "x", null));
    }

    /** theano.grad(cost, wrt, consider_constant, disconnected_inputs, add_names, known_grads, return_disconnected, null_gradients). */
    static Object grad(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("grad", a, kw).only("cost", "wrt", "consider_constant", "disconnected_inputs", "add_names",
                "known_grads", "return_disconnected", "null_gradients");
        Object cost = args.opt(0, "cost");
        Object wrt = args.get(1, "wrt", null);
        Gradient.Options o = new Gradient.Options()
                .considerConstant(constants(args.opt(2, "consider_constant")))
                .disconnectedInputs(PyStr.str(args.get(3, "disconnected_inputs", "raise")))
                .returnDisconnected(PyStr.str(args.get(6, "return_disconnected", "zero")))
                .nullGradients(PyStr.str(args.get(7, "null_gradients", "raise")));
        Object known = args.opt(5, "known_grads");
        if (known != PyNone.NONE) {
            if (!(known instanceof PyDict d)) {
                throw TslError.of("TypeError", "known_grads must be a dict of variable: gradient, got " + PyOps.typeName(known));
            }
            Map<Variable, Variable> kg = new LinkedHashMap<>();
            for (var e : d.entries()) {
                kg.put(variable("known_grads key", e.getKey().value()), T.asTensorVariable(PyOps.toGraphOperand(e.getValue())));
            }
            o.knownGrads(kg);
        }
        Variable c = null;
        if (cost != PyNone.NONE) {
            if (!(PyOps.toGraphOperand(cost) instanceof Variable v)) {
                throw TslError.of("TypeError", "grad() cost must be a symbolic variable, got " + PyOps.typeName(cost));
            }
            c = v;
        }
        return shaped(wrt, Gradient.grad(c, variables("wrt", wrt), o));
    }

    static Object jacobian(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("jacobian", a, kw).only("expression", "wrt", "consider_constant", "disconnected_inputs");
        Variable e = variable("expression", args.get(0, "expression", null));
        Object wrt = args.get(1, "wrt", null);
        return shaped(wrt, Derivatives.jacobian(e, variables("wrt", wrt), constants(args.opt(2, "consider_constant")),
                PyStr.str(args.get(3, "disconnected_inputs", "raise"))));
    }

    static Object hessian(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("hessian", a, kw).only("cost", "wrt", "consider_constant", "disconnected_inputs");
        Variable c = variable("cost", args.get(0, "cost", null));
        Object wrt = args.get(1, "wrt", null);
        return shaped(wrt, Derivatives.hessian(c, variables("wrt", wrt), constants(args.opt(2, "consider_constant")),
                PyStr.str(args.get(3, "disconnected_inputs", "raise"))));
    }

    static Object lop(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("Lop", a, kw).only("f", "wrt", "eval_points", "consider_constant", "disconnected_inputs");
        Object wrt = args.get(1, "wrt", null);
        return shaped(wrt, Derivatives.lop(variables("f", args.get(0, "f", null)), variables("wrt", wrt),
                operands(args.get(2, "eval_points", null)), constants(args.opt(3, "consider_constant")),
                PyStr.str(args.get(4, "disconnected_inputs", "raise"))));
    }

    static Object rop(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("Rop", a, kw).only("f", "wrt", "eval_points", "disconnected_outputs", "return_disconnected");
        Object f = args.get(0, "f", null);
        return shaped(f, ForwardMode.rop(variables("f", f), variables("wrt", args.get(1, "wrt", null)),
                operands(args.get(2, "eval_points", null)), PyStr.str(args.get(3, "disconnected_outputs", "raise")),
                PyStr.str(args.get(4, "return_disconnected", "zero"))));
    }

    /** theano.gradient.verify_grad(fun, pt, n_tests=2, rng=None, eps=None, out_type=None, abs_tol=None, rel_tol=None, ...). */
    static Object verifyGrad(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("verify_grad", a, kw).only("fun", "pt", "n_tests", "rng", "eps", "out_type", "abs_tol", "rel_tol",
                "mode", "cast_to_output_type", "no_debug_ref");
        Object fun = args.get(0, "fun", null);
        List<Object> pts = PyOps.toList(args.get(1, "pt", null));
        NDArray[] points = new NDArray[pts.size()];
        for (int i = 0; i < points.length; i++) {
            points[i] = Interop.toArray(pts.get(i));
        }
        VerifyGrad.Options o = new VerifyGrad.Options().nTests(PyOps.toIndex(args.get(2, "n_tests", 2L)))
                .eps(optDouble(args.opt(4, "eps"))).absTol(optDouble(args.opt(6, "abs_tol"))).relTol(optDouble(args.opt(7, "rel_tol")));
        Object rng = args.opt(3, "rng");
        if (rng != PyNone.NONE) {
            Object rand = PyOps.getattr(rng, "rand");
            o.rng(shape -> {
                List<Object> dims = new ArrayList<>();
                for (int d : shape) {
                    dims.add((long) d);
                }
                return Interop.toArray(PyOps.call(rand, dims, Map.of()));
            });
        }
        VerifyGrad.verifyGrad(vars -> {
            Object out = PyOps.call(fun, new ArrayList<>(List.of((Object[]) vars)), Map.of());
            if (out instanceof PyList || out instanceof PyTuple) {
                throw TslError.of("TypeError", "It seems like you are trying to use verify_grad on an op or a function which"
                        + " outputs a list: there should be a single (array-like) output instead");
            }
            return T.asTensorVariable(PyOps.toGraphOperand(out));
        }, points, o);
        return PyNone.NONE;
    }

    private static Double optDouble(Object o) {
        return o == PyNone.NONE ? null : Arith.toDouble(o);
    }

    private static Variable variable(String what, Object o) {
        Object v = PyOps.toGraphOperand(o);
        if (!(v instanceof Variable var)) {
            throw TslError.of("TypeError", what + " must be a symbolic variable, got " + PyOps.typeName(o));
        }
        return var;
    }

    private static boolean isSeq(Object o) {
        return o instanceof PyList || o instanceof PyTuple;
    }

    private static List<Variable> variables(String what, Object o) {
        List<Variable> vs = new ArrayList<>();
        for (Object x : isSeq(o) ? PyOps.toList(o) : List.of(o)) {
            vs.add(variable(what, x));
        }
        return vs;
    }

    private static List<Variable> operands(Object o) {
        List<Variable> vs = new ArrayList<>();
        for (Object x : isSeq(o) ? PyOps.toList(o) : List.of(o)) {
            vs.add(T.asTensorVariable(PyOps.toGraphOperand(x)));
        }
        return vs;
    }

    private static Set<Variable> constants(Object o) {
        Set<Variable> s = new LinkedHashSet<>();
        if (o != PyNone.NONE) {
            for (Object x : PyOps.toList(o)) {
                s.add(variable("consider_constant", x));
            }
        }
        return s;
    }

    /** One result for one variable asked about; a list (or tuple) for a list (or tuple); None for a null entry. */
    private static Object shaped(Object question, List<Variable> answers) {
        List<Object> out = new ArrayList<>();
        for (Variable v : answers) {
            out.add(v == null ? PyNone.NONE : v);
        }
        if (!isSeq(question)) {
            return out.get(0);
        }
        return question instanceof PyTuple ? PyTuple.of(out) : new PyList(out);
    }
}
