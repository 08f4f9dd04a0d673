package tsl.language.builtins;

import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.TruffleObject;

import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;

/** A tensor type as a script value: calling it makes a new symbolic variable of that type. */
public record TypeObject(TensorType type) implements TruffleObject {

    /** {@code TensorType(...)(name)}: a fresh variable of this type. */
    @TruffleBoundary
    public Variable call(List<Object> args, Map<String, Object> kwargs) {
        Object name = new Args("TensorType", args, kwargs).only("name").opt(0, "name");
        return new Variable(type, name == PyNone.NONE ? null : PyStr.str(name));
    }

    /** dtype, ndim, broadcastable, shape (None for an unknown length), as Theano's TensorType has them. */
    @TruffleBoundary
    public Object getattr(String name) {
        return switch (name) {
            case "dtype" -> type.dtype().numpyName();
            case "ndim" -> (long) type.ndim();
            case "broadcastable" -> {
                boolean[] b = type.broadcastable();
                Object[] items = new Object[b.length];
                for (int i = 0; i < b.length; i++) {
                    items[i] = b[i];
                }
                yield new PyTuple(items);
            }
            case "shape" -> {
                Object[] items = new Object[type.ndim()];
                for (int i = 0; i < items.length; i++) {
                    int d = type.dim(i);
                    items[i] = d == TensorType.UNKNOWN ? PyNone.NONE : (Object) (long) d;
                }
                yield new PyTuple(items);
            }
            case "__call__" -> new BuiltinFunction("TensorType", this::call);
            default -> null;
        };
    }

    @Override
    public String toString() {
        return type.toString();
    }
}
