package tsl.language.builtins;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Variable;
import tsl.language.TslContext;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.printing.DebugPrint;
import tsl.printing.DotPrint;
import tsl.printing.PrettyPrint;

/** theano.printing: debugprint, pp, pydotprint — ways to see a graph. */
final class PrintingModule {
    private PrintingModule() {}

    static PyModule create(TslContext ctx) {
        PyModule m = new PyModule("theano.printing");
        m.fn("debugprint", (a, kw) -> {
            Args args = new Args("debugprint", a, kw).only("obj", "depth", "print_type", "file", "ids", "stop_on_name", "done",
                    "print_storage", "print_clients", "used_ids");
            Object obj = args.get(0, "obj", null);
            boolean printType = PyOps.isTrue(args.get(2, "print_type", false));
            String text = debugprint(obj, printType);
            Object file = args.opt(3, "file");
            if (file instanceof String s && s.equals("str")) {
                return text;
            }
            ctx.out().print(text);
            return PyNone.NONE;
        });
        m.fn("pp", (a, kw) -> PrettyPrint.of(variable("pp", new Args("pp", a, kw).get(0, "var", null))));
        m.fn("pydotprint", (a, kw) -> {
            Args args = new Args("pydotprint", a, kw);
            Object fct = args.get(0, "fct", null);
            Object outfile = args.opt(1, "outfile");
            Object format = args.get(-1, "format", "png");
            String fmt = PyStr.str(format);
            String path = outfile == PyNone.NONE ? "pydotprint." + fmt : PyStr.str(outfile);
            java.nio.file.Path written;
            if (fct instanceof FunctionObject f) {
                written = DotPrint.write(f.function(), path, outfile == PyNone.NONE || kw.containsKey("format") ? fmt : null);
            } else {
                List<Variable> vs = variables("pydotprint", fct);
                tsl.graph.FunctionGraph g = tsl.graph.FunctionGraph.clone(List.of(), vs, java.util.Map.of());
                written = DotPrint.write(DotPrint.dot(g), path, outfile == PyNone.NONE || kw.containsKey("format") ? fmt : null);
            }
            ctx.out().println("The output file is available at " + written);
            return PyNone.NONE;
        });
        return m;
    }

    static String debugprint(Object obj, boolean printType) {
        if (obj instanceof FunctionObject f) {
            return DebugPrint.of(f.function(), printType);
        }
        return DebugPrint.of(variables("debugprint", obj), printType);
    }

    private static List<Variable> variables(String fn, Object obj) {
        List<Variable> vs = new ArrayList<>();
        if (obj instanceof PyList || obj instanceof PyTuple) {
            for (Object o : PyOps.toList(obj)) {
                vs.add(variable(fn, o));
            }
        } else {
            vs.add(variable(fn, obj));
        }
        return vs;
    }

    private static Variable variable(String fn, Object o) {
        if (o instanceof Variable v) {
            return v;
        }
        throw TslError.of("TypeError", fn + ": expected a symbolic variable or a compiled function, got " + PyOps.typeName(o));
    }
}
