import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

/** The polyglot door, from the single jar only. */
public class PolyglotProbe {
    public static void main(String[] args) {
        try (Context ctx = Context.newBuilder("tsl").option("engine.WarnInterpreterOnly", "false").build()) {
            Value f = ctx.eval("tsl", "x = dmatrix('x')\nfunction([x], x.sum(axis=1))");
            Value r = f.execute((Object) new double[][] {{1, 2}, {3, 4}});
            System.out.println(r.getArraySize() + " " + r.getArrayElement(1).asDouble() + " " + r);
        }
    }
}
