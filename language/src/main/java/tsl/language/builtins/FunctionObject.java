package tsl.language.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

import tsl.compile.Function;
import tsl.graph.TslException;
import tsl.language.runtime.Interop;
import tsl.language.runtime.PyList;
import tsl.tensor.NDArray;

/** A compiled theano.function as a script value: callable with Python values, returning arrays. */
@ExportLibrary(InteropLibrary.class)
public final class FunctionObject implements TruffleObject {
    private final Function function;

    public FunctionObject(Function function) {
        this.function = function;
    }

    public Function function() {
        return function;
    }

    @TruffleBoundary
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        List<Object> javaArgs = new ArrayList<>(args.size());
        for (Object a : args) {
            javaArgs.add(toJava(a));
        }
        Map<String, Object> kw = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : kwargs.entrySet()) {
            kw.put(e.getKey(), toJava(e.getValue()));
        }
        NDArray[] outs;
        try {
            // a function with no loop ends on its own: no blocked section (the linker says which may loop)
            outs = function.mayLoop() ? CancellableCall.run(() -> function.call(javaArgs, kw)) : function.call(javaArgs, kw);
        } catch (TslException e) {
            throw Interop.toError(e);
        }
        return result(outs);
    }

    /**
     * {@code f(a, b)} with positional arguments only: the same conversions and errors as
     * {@link #call}, without building a list and a map. Converts {@code args} in place.
     */
    @TruffleBoundary
    public Object callPositional(Object[] args) {
        for (int i = 0; i < args.length; i++) {
            args[i] = toJava(args[i]);
        }
        NDArray[] outs;
        try {
            outs = function.mayLoop() ? CancellableCall.run(() -> function.call(args)) : function.call(args);
        } catch (TslException e) {
            throw Interop.toError(e);
        }
        return result(outs);
    }

    /** The outputs as a script sees them: the array for a single output, else a list. */
    private Object result(NDArray[] outs) {
        if (function.singleOutput()) {
            return outs[0];
        }
        List<Object> l = new ArrayList<>(outs.length);
        java.util.Collections.addAll(l, (Object[]) outs);
        return new PyList(l);
    }

    private static Object toJava(Object a) {
        if (a instanceof tsl.language.runtime.PyList || a instanceof tsl.language.runtime.PyTuple
                || a instanceof tsl.language.runtime.NpScalar) {
            return Interop.toJava(a);
        }
        return a;
    }

    public Object getattr(String name) {
        return switch (name) {
            case "name" -> function.name() == null ? tsl.language.runtime.PyNone.NONE : function.name();
            case "profile" -> function.profile() == null ? tsl.language.runtime.PyNone.NONE : profileObject();
            default -> null;
        };
    }

    /** f.profile: summary() prints Theano's profile table to stderr, as Theano does. */
    private Object profileObject() {
        tsl.language.runtime.PyModule p = new tsl.language.runtime.PyModule("ProfileStats");
        p.fn("summary", (a, k) -> {
            java.io.PrintStream err = tsl.language.TslContext.get(null).err();
            err.print(function.profile().summary());
            err.flush();
            return tsl.language.runtime.PyNone.NONE;
        });
        p.put("calls", function.profile().calls());
        return p;
    }

    @ExportMessage
    boolean isExecutable() {
        return true;
    }

    @ExportMessage
    Object execute(Object[] arguments) {
        return Interop.toForeign(call(java.util.Arrays.asList(Interop.fromForeignAll(arguments)), Map.of()));
    }

    @Override
    public String toString() {
        return function.toString();
    }
}
