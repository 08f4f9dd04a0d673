package tsl.language.runtime;

import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/** A function implemented in Java: a builtin, a module function or a method of a built-in type. */
@ExportLibrary(InteropLibrary.class)
public final class BuiltinFunction implements TruffleObject {
    @FunctionalInterface
    public interface Impl {
        Object call(List<Object> args, Map<String, Object> kwargs);
    }

    public final String name;
    public final Impl impl;
    /** Whether this callable is a built-in type (int, list, ...): it then prints as {@code <class 'int'>}. */
    public final boolean isType;

    public BuiltinFunction(String name, Impl impl) {
        this(name, impl, false);
    }

    public BuiltinFunction(String name, Impl impl, boolean isType) {
        this.name = name;
        this.impl = impl;
        this.isType = isType;
    }

    public BuiltinFunction asType() {
        return new BuiltinFunction(name, impl, true);
    }

    @ExportMessage
    boolean isExecutable() {
        return true;
    }

    @ExportMessage
    Object execute(Object[] arguments) {
        return Interop.toForeign(PyOps.call(this, java.util.Arrays.asList(Interop.fromForeignAll(arguments)), Map.of()));
    }

    @Override
    public String toString() {
        return isType ? "<class '" + name + "'>" : "<built-in function " + name + ">";
    }
}
