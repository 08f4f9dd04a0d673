package tsl.language.runtime;

import java.util.List;

import com.oracle.truffle.api.interop.TruffleObject;

/** The object super(cls, obj) returns: attribute lookup that starts after {@code cls}, bound to {@code obj}. */
public record PySuper(PyClass cls, Object obj) implements TruffleObject {

    /** The attribute, bound to obj when it is a method; null when no base defines it. */
    public Object lookup(String name) {
        Object c = cls.base == null ? null : cls.base.lookup(name);
        if (c instanceof PyFunction || c instanceof BuiltinFunction) {
            return new BoundMethod(obj, c);
        }
        if (c instanceof StaticMethod sm) {
            return sm.function();
        }
        if (c == null && name.equals("__init__")) {
            // object.__init__, or BaseException.__init__ which records its arguments
            return new BuiltinFunction("__init__", (a, k) -> {
                if (cls.isException() && obj instanceof PyInstance inst) {
                    inst.attrs.put("args", PyTuple.of(a));
                }
                return PyNone.NONE;
            });
        }
        return c;
    }

    static PySuper of(List<Object> args) {
        if (args.size() != 2 || !(args.get(0) instanceof PyClass c)) {
            throw TslError.of("TypeError", "super() needs a class and an instance (or no arguments inside a method)");
        }
        return new PySuper(c, args.get(1));
    }
}
