package tsl.language.runtime;

import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.frame.MaterializedFrame;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/** A function defined in a script (def or lambda), closed over its defining frame. */
@ExportLibrary(InteropLibrary.class)
public final class PyFunction implements TruffleObject {
    public final String name;
    public final Signature signature;
    public final RootCallTarget target;
    public final MaterializedFrame closure;
    public final Object[] defaults;
    public final Object[] kwDefaults;
    public final java.util.Map<String, Object> attrs = new java.util.HashMap<>();

    public PyFunction(String name, Signature signature, RootCallTarget target, MaterializedFrame closure,
                      Object[] defaults, Object[] kwDefaults) {
        this.name = name;
        this.signature = signature;
        this.target = target;
        this.closure = closure;
        this.defaults = defaults;
        this.kwDefaults = kwDefaults;
    }

    public Object[] bind(java.util.List<Object> args, java.util.Map<String, Object> kwargs) {
        return signature.bind(closure, args, kwargs, defaults, kwDefaults);
    }

    @ExportMessage
    boolean isExecutable() {
        return true;
    }

    @ExportMessage
    Object execute(Object[] arguments) {
        return Interop.toForeign(PyOps.call(this, java.util.Arrays.asList(Interop.fromForeignAll(arguments)), java.util.Map.of()));
    }

    @Override
    public String toString() {
        return "<function " + name + ">";
    }
}
