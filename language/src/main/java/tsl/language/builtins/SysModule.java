package tsl.language.builtins;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tsl.language.TslContext;
import tsl.language.runtime.PyInstance;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;

/** Python's sys, the part scripts use: argv, exit, stdout and stderr. */
public final class SysModule {
    private SysModule() {}

    public static PyModule create(TslContext ctx) {
        PyModule m = new PyModule("sys");
        List<Object> argv = new ArrayList<>(List.of((Object[]) ctx.env().getApplicationArguments()));
        if (argv.isEmpty()) {
            argv.add("");      // Python's argv for an interactive session or -c is never empty
        }
        m.put("argv", new PyList(argv));
        m.put("stdout", stream("stdout", ctx.out()));
        m.put("stderr", stream("stderr", new PrintStream(ctx.env().err(), true, StandardCharsets.UTF_8)));
        m.put("version", "TSL " + tsl.language.TslLanguage.VERSION);
        m.fn("exit", (a, k) -> {
            // SystemExit propagates like any exception (finally blocks run, it can be caught);
            // uncaught, the launcher and embedders see an exit with its status
            TslError e = TslError.of("SystemExit", "");
            PyInstance inst = e.exception;
            inst.attrs.put("args", a.isEmpty() ? PyTuple.EMPTY : PyTuple.of(a.get(0)));
            inst.attrs.put("code", a.isEmpty() ? PyNone.NONE : a.get(0));
            throw e;
        });
        return m;
    }

    private static PyModule stream(String name, PrintStream out) {
        PyModule s = new PyModule(name);
        s.fn("write", (a, k) -> {
            String text = PyStr.str(a.get(0));
            out.print(text);
            return (long) text.length();
        });
        s.fn("flush", (a, k) -> {
            out.flush();
            return PyNone.NONE;
        });
        return s;
    }
}
