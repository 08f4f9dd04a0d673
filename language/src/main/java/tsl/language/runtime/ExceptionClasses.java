package tsl.language.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/** Python's built-in exception hierarchy, plus Theano's own error classes. */
public final class ExceptionClasses {
    private static final Map<String, PyClass> CLASSES = new LinkedHashMap<>();

    public static final PyClass BASE_EXCEPTION = def("BaseException", null);
    public static final PyClass EXCEPTION = def("Exception", BASE_EXCEPTION);

    static {
        def("KeyboardInterrupt", BASE_EXCEPTION);
        def("SystemExit", BASE_EXCEPTION);
        def("StopIteration", EXCEPTION);
        PyClass arith = def("ArithmeticError", EXCEPTION);
        def("ZeroDivisionError", arith);
        def("OverflowError", arith);
        def("FloatingPointError", arith);
        PyClass lookup = def("LookupError", EXCEPTION);
        def("IndexError", lookup);
        def("KeyError", lookup);
        def("AssertionError", EXCEPTION);
        def("MemoryError", EXCEPTION);
        def("AttributeError", EXCEPTION);
        def("NameError", EXCEPTION);
        def("UnboundLocalError", get("NameError"));
        PyClass valueError = def("ValueError", EXCEPTION);
        def("TypeError", EXCEPTION);
        PyClass runtime = def("RuntimeError", EXCEPTION);
        def("NotImplementedError", runtime);
        def("RecursionError", runtime);
        PyClass importError = def("ImportError", EXCEPTION);
        def("ModuleNotFoundError", importError);
        def("SyntaxError", EXCEPTION);
        def("OSError", EXCEPTION);
        def("FileNotFoundError", get("OSError"));
        // Theano's errors
        def("UnusedInputError", EXCEPTION);
        def("MissingInputError", EXCEPTION);
        def("DisconnectedInputError", valueError);
        def("NullTypeGradError", get("TypeError"));
        def("ShapeError", valueError);
        def("GradientError", EXCEPTION);
    }

    private ExceptionClasses() {}

    private static PyClass def(String name, PyClass base) {
        PyClass c = new PyClass(name, base);
        CLASSES.put(name, c);
        return c;
    }

    /** The class of that name, or Exception for a name TSL does not know. */
    public static PyClass get(String name) {
        PyClass c = CLASSES.get(name);
        return c != null ? c : EXCEPTION;
    }

    public static Map<String, PyClass> all() {
        return CLASSES;
    }
}
