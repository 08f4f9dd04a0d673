package tsl.language.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;

import tsl.language.TslContext;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.TslError;

/** {@code import a.b [as c]} and {@code from a.b import x [as y]}. */
public final class Import extends TslNode {
    private final String module;
    private final String[] names;          // from-import names; null for a plain import
    @Children private final Targets.Target[] targets;
    private final boolean bindTopLevel;    // import a.b (no as) binds a

    public Import(String module, String[] names, Targets.Target[] targets, boolean bindTopLevel) {
        this.module = module;
        this.names = names;
        this.targets = targets;
        this.bindTopLevel = bindTopLevel;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object[] values = resolve();
        for (int i = 0; i < targets.length; i++) {
            targets[i].assign(frame, values[i]);
        }
        return null;
    }

    @TruffleBoundary
    private Object[] resolve() {
        TslContext ctx = TslContext.get(this);
        try {
            PyModule m = ctx.importModule(module, getSourceSection());
            if (names == null) {
                return new Object[] {bindTopLevel ? ctx.importModule(module.split("\\.")[0], getSourceSection()) : m};
            }
            Object[] out = new Object[names.length];
            for (int i = 0; i < names.length; i++) {
                Object v = m.attrs.get(names[i]);
                if (v == null) {
                    try {
                        v = ctx.importModule(module + "." + names[i], getSourceSection());
                    } catch (TslError e) {
                        throw TslError.of("ImportError", "cannot import name '" + names[i] + "' from '" + module + "'");
                    }
                }
                out[i] = v;
            }
            return out;
        } catch (Throwable t) {
            throw located(t);
        }
    }
}
