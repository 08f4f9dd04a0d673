import java.io.StringWriter;

import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;

/** What a JSR-223 host does, run in a fresh JVM whose classpath is the single jar only. */
public class JavaxScriptProbe {
    public static void main(String[] args) throws Exception {
        ScriptEngine e = new ScriptEngineManager().getEngineByName("tsl");
        StringWriter out = new StringWriter();
        e.getContext().setWriter(out);
        e.put("v", new double[] {1, 2, 3});
        Object sum = e.eval("x = dvector('x')\nf = function([x], (x ** 2).sum())\nprint('f(v) =', f(v))\nfloat(f(v))");
        CompiledScript c = ((Compilable) e).compile("k * 2");
        Bindings b = e.createBindings();
        b.put("k", 21);
        Object twice = c.eval(b);
        Object viaInvoke = ((Invocable) e).invokeFunction("f", (Object) new double[] {2, 2});
        ((Invocable) e).invokeFunction("print", "builtin print");
        System.out.println(out.toString().trim() + " | " + sum + " | " + twice + " | "
                + ((tsl.tensor.NDArray) viaInvoke).item() + " | " + e.getFactory().getParameter("THREADING")
                + " | " + e.getFactory().getNames());
        // hosts that pick an engine by a script's file name or content type
        ScriptEngineManager m = new ScriptEngineManager();
        System.out.println("by extension: " + m.getEngineByExtension("tsl").eval("6 * 7")
                + " | by MIME type: " + m.getEngineByMimeType("application/x-tsl").eval("'tsl'.upper()"));
    }
}
