package tsl.language.nodes;

import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;

import tsl.language.runtime.PyClass;
import tsl.language.runtime.PyFunction;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.TslError;

/** {@code class Name(Base): body}: runs the body (a function made by the builder) and builds the class. */
public final class ClassDef extends ExprNode {
    private final String name;
    @Child private ExprNode base;
    @Child private ExprNode bodyFunction;

    public ClassDef(String name, ExprNode base, ExprNode bodyFunction) {
        this.name = name;
        this.base = base;
        this.bodyFunction = bodyFunction;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object b = base == null ? null : base.execute(frame);
        Object f = bodyFunction.execute(frame);
        return build(b, f);
    }

    @TruffleBoundary
    @SuppressWarnings("unchecked")
    private PyClass build(Object b, Object f) {
        if (b != null && !(b instanceof PyClass)) {
            throw TslError.of("TypeError", "class " + name + ": base must be a class, got " + PyOps.typeName(b)).at(getSourceSection());
        }
        PyClass cls = new PyClass(name, (PyClass) b);
        PyFunction body = (PyFunction) f;
        Map<String, Object> dict = (Map<String, Object>) body.target.call(body.bind(java.util.List.of(), Map.of()));
        cls.dict.putAll(dict);
        return cls;
    }
}
