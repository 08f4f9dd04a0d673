package tsl.language.jsr223;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

import tsl.language.TslLanguage;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

class Jsr223Test {
    private static final ScriptEngineManager MANAGER = new ScriptEngineManager();

    private static ScriptEngine engine() {
        ScriptEngine e = MANAGER.getEngineByName("tsl");
        assertNotNull(e, "no engine named tsl");
        return e;
    }

    @Test
    void factoryDescribesTheLanguage() {
        ScriptEngineFactory f = engine().getFactory();
        assertEquals(List.of("tsl", "TSL"), f.getNames());
        assertEquals(List.of("tsl"), f.getExtensions());
        assertEquals(List.of("application/x-tsl"), f.getMimeTypes());
        assertEquals("TSL", f.getLanguageName());
        assertEquals(TslLanguage.VERSION, f.getLanguageVersion());
        assertEquals(TslLanguage.VERSION, f.getEngineVersion());
        assertEquals("MULTITHREADED", f.getParameter("THREADING"));
        assertEquals("tsl", f.getParameter(ScriptEngine.NAME));
        assertNotNull(MANAGER.getEngineByName("TSL"));
        assertNotNull(MANAGER.getEngineByExtension("tsl"));
        assertNotNull(MANAGER.getEngineByMimeType("application/x-tsl"));
    }

    @Test
    void outputStatementAndProgramRunAsWritten() throws Exception {
        ScriptEngine e = engine();
        ScriptEngineFactory f = e.getFactory();
        StringWriter out = new StringWriter();
        e.getContext().setWriter(out);
        e.eval(f.getProgram("x = 'it''s'", f.getOutputStatement("it's \\ done")));
        assertEquals("it's \\ done\n", out.toString());
    }

    @Test
    void javaValuesGoInAsTslValues() throws Exception {
        ScriptEngine e = engine();
        e.put("i", 3);
        e.put("d", 2.5);
        e.put("s", "abc");
        e.put("b", true);
        e.put("v", new double[] {1, 2, 3});
        e.put("f", new float[] {1.5f, 2.5f});
        e.put("m", new int[][] {{1, 2, 3}, {4, 5, 6}});
        e.put("l", List.of(1, 2.0, "x"));
        e.put("dict", Map.of("k", 7));
        e.put("nothing", null);
        StringWriter out = new StringWriter();
        e.getContext().setWriter(out);
        e.eval("""
                print(type(i).__name__, i + 1, d * 2, s.upper(), not b)
                print(v.dtype, v.sum(), f.dtype, m.shape, m.dtype, m.sum())
                print(l, dict['k'], nothing is None)
                """);
        assertEquals("int 4 5.0 ABC False\nfloat64 6.0 float32 (2, 3) int32 21\n[1, 2.0, 'x'] 7 True\n", out.toString());
    }

    @Test
    void globalsComeBackAsJavaValues() throws Exception {
        ScriptEngine e = engine();
        e.put("x", new double[] {1, 2, 3});
        Object r = e.eval("""
                y = x * 2
                n = 7
                z = 0.5
                whole = 8.0
                name = 'w'
                flags = [True, 1, 'a']
                table = {'a': 1, 'b': [1, 2]}
                def g(a):
                    return a + n
                n + 1
                """);
        assertEquals(8L, r);
        NDArray y = assertInstanceOf(NDArray.class, e.get("y"));
        assertArrayEquals(new double[] {2, 4, 6}, y.toDoubleArray());
        assertEquals(7L, e.get("n"));
        assertEquals(0.5, e.get("z"));
        assertEquals(8.0, e.get("whole"));              // a float stays a Double even when integral
        assertEquals("w", e.get("name"));
        assertEquals(List.of(true, 1L, "a"), e.get("flags"));
        Map<Object, Object> table = new LinkedHashMap<>();
        table.put("a", 1L);
        table.put("b", List.of(1L, 2L));
        assertEquals(table, e.get("table"));
        Value g = assertInstanceOf(Value.class, e.get("g"));
        assertTrue(g.canExecute());
        // a changed binding goes back in; an unchanged one is kept
        e.put("n", 10);
        assertEquals(15L, e.eval("g(5)"));
        e.getBindings(ScriptContext.ENGINE_SCOPE).remove("z");
        ScriptException gone = assertThrows(ScriptException.class, () -> e.eval("z"));
        assertTrue(gone.getMessage().contains("NameError"), gone.getMessage());
    }

    @Test
    void namesAreLookedUpInEngineScopeThenGlobalScope() throws Exception {
        ScriptEngineManager manager = new ScriptEngineManager();
        ScriptEngine e = manager.getEngineByName("tsl");
        manager.put("g", 1);
        manager.put("only_global", 5);
        e.put("g", 2);
        assertEquals(7L, e.eval("g + only_global"));
        // reading a global-scope name does not copy it into the engine scope, where it would hide later changes
        assertFalse(e.getBindings(ScriptContext.ENGINE_SCOPE).containsKey("only_global"));
        manager.put("only_global", 8);
        assertEquals(8L, e.eval("only_global"));
        // script assignments land in the engine scope, not the global one
        e.eval("only_global = 6");
        assertEquals(8, manager.get("only_global"));
        assertEquals(6L, e.get("only_global"));
    }

    @Test
    void hostBindingsThatAreNotIdentifiersAreTolerated() throws Exception {
        ScriptEngine e = engine();
        Object log = new Object();
        e.put("log", log);                          // a host object the script does not use
        e.put("vars", new java.util.Properties());
        e.put("JMeter.props", "x");
        e.put("ant.project name", 3);
        e.put(ScriptEngine.FILENAME, "host.tsl");
        assertEquals(42L, e.eval("40 + 2"));
        assertEquals("x", e.get("JMeter.props"));
        assertSame(log, e.eval("log"));                  // opaque to the script, handed back as it went in
    }

    @Test
    void hostObjectsAreUsableOnlyWhenTheHostOptsIn() throws Exception {
        ScriptEngine closed = engine();
        StringBuilder log = new StringBuilder();
        closed.put("log", log);
        ScriptException e = assertThrows(ScriptException.class, () -> closed.eval("log.append('no')"));
        assertTrue(e.getMessage().contains("AttributeError"), e.getMessage());
        ScriptEngine open = engine();
        open.put("tsl.allowHostAccess", true);
        open.put("log", log);
        open.eval("log.append('sum=').append(str(1 + 2))");
        assertEquals("sum=3", log.toString());
        assertEquals(5L, open.eval("log.length()"));
    }

    @Test
    void readOnlyBindingsAreReadAndLeftAlone() throws Exception {
        // Spring's StandardScriptEvaluator wraps the caller's map, often a Map.of(...), in SimpleBindings
        ScriptEngine e = engine();
        Bindings ro = new SimpleBindings(Map.of("k", 21, "v", new double[] {1, 2}));
        assertEquals(42L, e.eval("y = k * 2\ny", ro));
        assertEquals(3.0, e.eval("del k\nfloat(v.sum())", ro));
        assertEquals(Map.of("k", 21, "v", ro.get("v")), Map.copyOf(ro));
        ScriptException err = assertThrows(ScriptException.class, () -> e.eval("k[5]", ro));
        assertTrue(err.getMessage().contains("TypeError"), err.getMessage());
    }

    @Test
    void aSystemPropertyOptsInForHostsThatMakeFreshBindingsEverySample() throws Exception {
        String key = "tsl.allowHostAccess";
        String before = System.getProperty(key);
        System.setProperty(key, "true");
        try {
            // what JMeter does: a new engine, fresh bindings, host objects in them, eval at once
            ScriptEngine e = engine();
            Bindings b = e.createBindings();
            StringBuilder log = new StringBuilder();
            b.put("log", log);
            e.eval("log.append('opted in')", b);
            assertEquals("opted in", log.toString());
            // an attribute in the context still wins over the JVM-wide default
            Bindings denied = e.createBindings();
            denied.put(key, false);
            denied.put("log", log);
            assertThrows(ScriptException.class, () -> e.eval("log.append('no')", denied));
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    @Test
    void errorsAreScriptExceptionsWithFileLineAndColumn() {
        ScriptEngine e = engine();
        e.put(ScriptEngine.FILENAME, "model.tsl");
        ScriptException runtime = assertThrows(ScriptException.class, () -> e.eval("a = [1, 2]\nb = a[5]\n"));
        assertEquals("model.tsl", runtime.getFileName());
        assertEquals(2, runtime.getLineNumber());
        assertEquals(5, runtime.getColumnNumber());
        assertTrue(runtime.getMessage().contains("IndexError: list index out of range"), runtime.getMessage());
        ScriptException syntax = assertThrows(ScriptException.class, () -> ((Compilable) e).compile("x = 1\ny = (2 +\n"));
        assertTrue(syntax.getMessage().contains("SyntaxError"), syntax.getMessage());
        assertEquals("model.tsl", syntax.getFileName());
    }

    @Test
    void printOutputReachesTheContextWriterFlushed() throws Exception {
        ScriptEngine e = engine();
        List<String> flushedText = new ArrayList<>();
        StringWriter sw = new StringWriter() {
            @Override
            public void flush() {
                flushedText.add(toString());
            }
        };
        e.getContext().setWriter(sw);
        e.eval("print('héllo', 1)");
        assertEquals("héllo 1\n", sw.toString());
        assertTrue(flushedText.contains("héllo 1\n"), flushedText.toString());
        StringWriter err = new StringWriter();
        e.getContext().setErrorWriter(err);
        e.eval("import sys\nsys.stderr.write('warn\\n')");
        assertEquals("warn\n", err.toString());
    }

    @Test
    void compiledScriptRunsManyTimesWithoutParsingAgain() throws Exception {
        ScriptEngine e = engine();
        CompiledScript script = ((Compilable) e).compile("""
                w = x * x
                w.sum() + k
                """);
        long parses = TslLanguage.parseCount();
        for (int i = 0; i < 20; i++) {
            Bindings b = e.createBindings();
            b.put("x", new double[] {i, 1});
            b.put("k", i);
            assertEquals(i * i + 1.0 + i, ((Number) script.eval(b)).doubleValue());
        }
        Bindings plain = new SimpleBindings();
        plain.put("x", new long[] {2});
        plain.put("k", 1);
        assertEquals(5L, script.eval(plain));
        assertEquals(5L, script.eval(plain));
        assertEquals(parses, TslLanguage.parseCount(), "a compiled script was parsed again");
    }

    @Test
    void compiledScriptIsSafeFromManyThreadsWithFreshBindings() throws Exception {
        ScriptEngine e = engine();
        CompiledScript script = ((Compilable) e).compile("""
                x = dvector('x')
                f = function([x], (x * scale).sum())
                total = 0.0
                for i in range(5):
                    total = total + float(f(data))
                total
                """);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 24; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    Bindings b = id % 2 == 0 ? e.createBindings() : new SimpleBindings();
                    b.put("scale", id);
                    b.put("data", new double[] {1, 2, 3});
                    StringWriter sw = new StringWriter();
                    Object r = script.eval(b);
                    return ((Number) r).doubleValue() == 5 * 6.0 * id && ((Number) b.get("total")).doubleValue() == 30.0 * id
                            && sw.toString().isEmpty();
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneEngineUsedFromManyThreadsStaysConsistent() throws Exception {
        ScriptEngine e = engine();
        e.eval("count = 0");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        e.eval("count = count + 1");
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(100L, e.get("count"));
    }

    public interface Model {
        double predict(double x);
    }

    public interface Counter {
        long bump(long by);
    }

    @Test
    void invocableCallsScriptFunctionsCompiledFunctionsAndMethods() throws Exception {
        ScriptEngine e = engine();
        e.eval("""
                def add(a, b):
                    return a + b
                def predict(x):
                    return 2 * x + 1
                v = dvector('v')
                norm2 = function([v], (v ** 2).sum())
                class Acc:
                    def __init__(self):
                        self.n = 0
                    def bump(self, by):
                        self.n = self.n + by
                        return self.n
                acc = Acc()
                """);
        Invocable inv = (Invocable) e;
        assertEquals(5L, inv.invokeFunction("add", 2, 3));
        assertEquals("ab", inv.invokeFunction("add", "a", "b"));
        NDArray n2 = assertInstanceOf(NDArray.class, inv.invokeFunction("norm2", (Object) new double[] {3, 4}));
        assertEquals(25.0, n2.item());
        Object acc = e.get("acc");
        assertEquals(3L, inv.invokeMethod(acc, "bump", 3));
        assertEquals(7L, inv.invokeMethod(acc, "bump", 4));
        assertThrows(NoSuchMethodException.class, () -> inv.invokeFunction("missing"));
        assertThrows(NoSuchMethodException.class, () -> inv.invokeMethod(acc, "missing"));
        Model m = inv.getInterface(Model.class);
        assertEquals(7.0, m.predict(3));
        Counter c = inv.getInterface(acc, Counter.class);
        assertEquals(17L, c.bump(10));
        ScriptException err = assertThrows(ScriptException.class, () -> inv.invokeFunction("add", 1, "x"));
        assertTrue(err.getMessage().contains("TypeError"), err.getMessage());
    }

    @Test
    void compiledFunctionValueIsInvocableFromJava() throws Exception {
        ScriptEngine e = engine();
        Value f = (Value) e.eval("""
                x = dmatrix('x')
                function([x], x.T)
                """);
        Value r = f.execute((Object) new double[][] {{1, 2}, {3, 4}});
        assertTrue(r.hasArrayElements());
        assertEquals(2, r.getArraySize());
        assertEquals(3.0, r.getArrayElement(0).getArrayElement(1).asDouble());
        assertEquals("float64", r.getMember("dtype").asString());
    }

    @Test
    void sysExitZeroIsANormalEndAndOtherCodesFail() throws Exception {
        ScriptEngine e = engine();
        assertNull(e.eval("import sys\nsys.exit(0)\nprint('not reached')"));
        ScriptException ex = assertThrows(ScriptException.class, () -> e.eval("import sys\nsys.exit(3)"));
        assertTrue(ex.getMessage().contains("SystemExit: 3"), ex.getMessage());
        assertEquals(2L, e.eval("1 + 1"));
    }

    @Test
    void dtypesOfJavaArraysAreKept() throws Exception {
        ScriptEngine e = engine();
        e.put("a", new long[][] {{1}, {2}});
        e.put("b", new boolean[] {true, false});
        NDArray a = (NDArray) e.eval("a");
        assertEquals(DType.INT64, a.dtype());
        assertArrayEquals(new int[] {2, 1}, a.shape());
        assertEquals(DType.BOOL, ((NDArray) e.eval("b")).dtype());
    }
}
