package tsl.language.builtins;

import tsl.compile.InputFilter;
import tsl.graph.SharedVariable;
import tsl.graph.TslException;
import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.Interop;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.tensor.NDArray;

/** get_value / set_value of shared variables. */
final class SharedMethods {
    private SharedMethods() {}

    static Object getattr(SharedVariable s, String name) {
        return switch (name) {
            case "get_value" -> new BuiltinFunction(name, (a, k) -> {
                boolean borrow = PyOps.isTrue(new Args(name, a, k).get(0, "borrow", false));
                return s.getValue(borrow);
            });
            case "set_value" -> new BuiltinFunction(name, (a, k) -> {
                Args args = new Args(name, a, k);
                Object value = args.get(0, "new_value", null);
                boolean borrow = PyOps.isTrue(args.get(1, "borrow", false));
                try {
                    NDArray v = InputFilter.filter(s.type(), value instanceof NDArray ? value : Interop.toJava(value),
                            false, null, "set_value");
                    s.setValue(v, borrow || v != value);
                } catch (TslException e) {
                    throw Interop.toError(e);
                }
                return PyNone.NONE;
            });
            default -> null;
        };
    }
}
