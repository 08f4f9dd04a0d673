package tsl.language.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

class PolyglotTest {
    @Test
    void ndarraysExposeArrayBufferAndMembers() {
        try (Context ctx = Context.create("tsl")) {
            Value a = ctx.eval("tsl", "import numpy as np\nnp.array([[1., 2., 3.], [4., 5., 6.]])");
            assertTrue(a.hasArrayElements());
            assertEquals(2, a.getArraySize());
            assertEquals(3, a.getArrayElement(1).getArraySize());
            assertEquals(6.0, a.getArrayElement(1).getArrayElement(2).asDouble());
            assertTrue(a.hasBufferElements());
            assertEquals(48, a.getBufferSize());
            assertEquals(5.0, a.readBufferDouble(ByteOrder.nativeOrder(), 8 * 4));
            Value shape = a.getMember("shape");
            assertEquals(2, shape.getArraySize());
            assertEquals(3, shape.getArrayElement(1).asInt());
            assertEquals("float64", a.getMember("dtype").asString());
            assertEquals("array([[1., 2., 3.],\n       [4., 5., 6.]])", a.toString());
            // a transposed view reads in C order of the view
            Value t = ctx.eval("tsl", "np.array([[1, 2], [3, 4]]).T");
            assertEquals(3L, t.readBufferLong(ByteOrder.nativeOrder(), 8));
            Value v = ctx.eval("tsl", "v = np.zeros(3)\nv");
            v.setArrayElement(1, 2.5);
            assertEquals(2.5, ctx.eval("tsl", "float(v[1])").asDouble());
            Value s = ctx.eval("tsl", "np.array(3.5)");
            assertTrue(s.isNumber());
            assertEquals(3.5, s.asDouble());
            assertFalse(ctx.eval("tsl", "np.array(3.5) > 1").isNumber());
        }
    }

    @Test
    void functionsAreExecutableAndJavaValuesConvertIn() {
        try (Context ctx = Context.create("tsl")) {
            Value globals = ctx.getBindings("tsl");
            globals.putMember("data", new double[][] {{1, 2}, {3, 4}});
            ctx.eval("tsl", """
                    def scale(a, k):
                        return a * k
                    x = dmatrix('x')
                    f = function([x], x.sum(axis=0))
                    """);
            assertEquals(42L, globals.getMember("scale").execute(21, 2).asLong());
            Value sums = globals.getMember("f").execute(globals.getMember("data"));
            assertEquals(4.0, sums.getArrayElement(0).asDouble());
            assertEquals(6.0, sums.getArrayElement(1).asDouble());
            Value fromList = globals.getMember("f").execute(List.of(List.of(1.0, 1.0), List.of(2.0, 5.0)));
            assertEquals(6.0, fromList.getArrayElement(1).asDouble());
            assertEquals("float64", ctx.eval("tsl", "str(data.dtype)").asString());
            assertTrue(globals.getMemberKeys().contains("scale"));
            globals.removeMember("scale");
            assertFalse(globals.hasMember("scale"));
        }
    }

    @Test
    void launcherFlagsAreContextOptions() {
        try (Context ctx = Context.newBuilder("tsl").option("tsl.Flags", "floatX=float64").build()) {
            assertEquals("float64", ctx.eval("tsl", "import theano\ntheano.config.floatX").asString());
        }
        assertThrows(IllegalArgumentException.class,
                () -> Context.newBuilder("tsl").option("tsl.NoSuchOption", "1").build());
    }

    @Test
    void embeddedContextsReachNoFilesOrHostClassesUnlessAllowed() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tsl-safe");
        java.nio.file.Files.writeString(dir.resolve("helper.tsl"), "VALUE = 41\n");
        java.nio.file.Path main = dir.resolve("main.tsl");
        java.nio.file.Files.writeString(main, "import helper\nhelper.VALUE + 1\n");
        org.graalvm.polyglot.Source src = org.graalvm.polyglot.Source.newBuilder("tsl", main.toFile()).build();
        try (Context ctx = Context.create("tsl")) {
            PolyglotException e = assertThrows(PolyglotException.class, () -> ctx.eval(src));
            assertTrue(e.getMessage().contains("ModuleNotFoundError"), e.getMessage());
            // a host object handed in is opaque: no methods, no fields
            ctx.getBindings("tsl").putMember("rt", Runtime.getRuntime());
            PolyglotException noHost = assertThrows(PolyglotException.class, () -> ctx.eval("tsl", "rt.exec('true')"));
            assertTrue(noHost.getMessage().contains("AttributeError"), noHost.getMessage());
        }
        try (Context ctx = Context.newBuilder("tsl").allowIO(org.graalvm.polyglot.io.IOAccess.ALL).build()) {
            assertEquals(42L, ctx.eval(src).asLong());
        }
    }

    @Test
    void javaScriptCallsACompiledTslFunctionWithAJsArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context ctx = Context.newBuilder("js", "tsl").allowPolyglotAccess(PolyglotAccess.ALL)
                .option("engine.WarnInterpreterOnly", "false").out(out).build()) {
            Value r = ctx.eval("js", """
                    const f = Polyglot.eval('tsl', "x = dvector('x')\\nfunction([x], [(x * x).sum(), x * 2])");
                    const [s, twice] = f([1, 2, 3]);
                    const rows = Polyglot.eval('tsl', "import numpy as np\\nnp.array([[1, 2], [3, 4]])");
                    const g = Polyglot.eval('tsl', "def g(m, k):\\n    return m.sum() * k\\ng");
                    const h = Polyglot.eval('tsl', "def h(o):\\n    return o.greet('tsl') + str(o.n)\\nh");
                    console.log(h({n: 3, greet: (w) => 'hi ' + w + ' '}));
                    console.log(s + 1, twice[2], twice.length, rows[1][0], Number(g(rows, 2)));
                    ({sum: Number(s), last: twice[twice.length - 1]});
                    """);
            assertEquals(14.0, r.getMember("sum").asDouble());
            assertEquals(6.0, r.getMember("last").asDouble());
        }
        assertEquals("hi tsl 3\n15 6 3 3 20\n", out.toString(StandardCharsets.UTF_8));
    }
}
