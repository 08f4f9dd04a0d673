package tsl.language.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

import com.oracle.truffle.api.interop.TruffleObject;

/** An instance of a user class or of an exception class. */
public final class PyInstance implements TruffleObject {
    public final PyClass cls;
    public final Map<String, Object> attrs = new LinkedHashMap<>();

    public PyInstance(PyClass cls) {
        this.cls = cls;
    }

    /** The message of an exception instance: str(e). */
    public String exceptionMessage() {
        Object args = attrs.get("args");
        if (args instanceof PyTuple t) {
            if (t.size() == 0) {
                return "";
            }
            if (t.size() == 1) {
                Object a = t.items[0];
                return cls == ExceptionClasses.get("KeyError") ? PyStr.repr(a) : PyStr.str(a);
            }
            return PyStr.repr(t);
        }
        return "";
    }
}
