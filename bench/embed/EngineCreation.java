import java.util.Arrays;

import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;

/**
 * How much a javax.script engine costs after the first one: creating it, and creating it plus
 * evaluating a small script with a fresh binding (one new polyglot context on the shared
 * engine, the parsed script reused). Run with bench/embed/engine-creation.sh.
 */
public class EngineCreation {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        long t0 = System.nanoTime();
        ScriptEngineManager manager = new ScriptEngineManager();
        ScriptEngine first = manager.getEngineByName("tsl");
        first.put("x", 41);
        Object r = first.eval("x + 1");
        long firstNs = System.nanoTime() - t0;
        if (!Long.valueOf(42).equals(r)) {
            throw new AssertionError("unexpected result " + r);
        }
        ScriptEngineFactory factory = first.getFactory();
        String script = "y = x * 2\ny + 1";
        CompiledScript compiled = ((Compilable) first).compile(script);
        // warm up the paths being measured
        for (int i = 0; i < n; i++) {
            ScriptEngine e = factory.getScriptEngine();
            e.put("x", i);
            e.eval(script);
            javax.script.Bindings b = e.createBindings();
            b.put("x", i);
            compiled.eval(b);
        }
        double[] create = new double[n];
        double[] createEval = new double[n];
        double[] compiledFresh = new double[n];
        for (int i = 0; i < n; i++) {
            long a = System.nanoTime();
            ScriptEngine e = manager.getEngineByName("tsl");
            long b = System.nanoTime();
            e.put("x", i);
            Object v = e.eval(script);
            long c = System.nanoTime();
            javax.script.Bindings fresh = e.createBindings();
            fresh.put("x", i);
            Object w = compiled.eval(fresh);
            long d = System.nanoTime();
            if (!Long.valueOf(2L * i + 1).equals(v) || !Long.valueOf(2L * i + 1).equals(w)) {
                throw new AssertionError("unexpected result " + v + " / " + w);
            }
            create[i] = (b - a) / 1e6;
            createEval[i] = (c - a) / 1e6;
            compiledFresh[i] = (d - c) / 1e6;
        }
        System.out.printf("first engine + first eval: %.1f ms%n", firstNs / 1e6);
        report("later engine, created (getEngineByName)", create);
        report("later engine, created + eval with a binding", createEval);
        report("compiled script, eval with fresh bindings", compiledFresh);
    }

    private static void report(String what, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf("%-46s median %.3f ms   p90 %.3f ms   (n=%d)%n", what, s[s.length / 2], s[(int) (s.length * 0.9)], s.length);
    }
}
