package tsl.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.Test;

class EmbeddingTest {
    @Test
    void jsr223EngineIsFoundByNameAndPrints() throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("tsl");
        assertNotNull(engine, "no engine named tsl");
        StringWriter out = new StringWriter();
        engine.getContext().setWriter(out);
        engine.eval("print(1.5 + 2.5)");
        assertEquals("4.0\n", out.toString());
    }

    @Test
    void jsr223SyntaxErrorHasLineAndColumn() {
        ScriptEngine engine = new ScriptEngineManager().getEngineByExtension("tsl");
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("x = 1\ny = (2 +\n"));
        assertTrue(e.getMessage().contains("SyntaxError"), e.getMessage());
    }

    @Test
    void polyglotContextEvaluatesAGraph() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context ctx = Context.newBuilder("tsl").out(out).build()) {
            ctx.eval("tsl", "x = dscalar('x')\nf = function([x], grad(1/(1+exp(-x)), x))\nprint(f(3))");
        }
        assertEquals("0.045176659730912\n", out.toString(StandardCharsets.UTF_8).replaceAll("(\\d{15})\\d+", "$1"));
    }

    @Test
    void runtimeErrorsAreCatchableAndLocated() {
        try (Context ctx = Context.newBuilder("tsl").build()) {
            PolyglotException e = assertThrows(PolyglotException.class, () -> ctx.eval("tsl", "a = [1, 2]\nb = a[5]\n"));
            assertTrue(e.getMessage().startsWith("<string>:2:5: IndexError: list index out of range")
                    || e.getMessage().contains(":2:5: IndexError"), e.getMessage());
        }
    }
}
