package tsl.language.interop;

import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;

import tsl.language.runtime.Interop;
import tsl.language.runtime.TslError;

/**
 * Attribute access and calls on objects of other languages and on host objects, as far as the
 * embedder allows (a host object is opaque unless the context was built with host access, so
 * {@code log.info('x')} in a JMeter script works only when the host opted in).
 */
public final class ForeignObjects {
    private ForeignObjects() {}

    /** {@code obj.name} of a foreign method: calling it invokes the member. */
    public record Method(Object receiver, String name) implements TruffleObject {}

    /** The attribute {@code name} of a foreign object, or null when it has none (or {@code o} is TSL's own). */
    @TruffleBoundary
    public static Object getattr(Object o, String name) {
        if (!(o instanceof TruffleObject) || o.getClass().getName().startsWith("tsl.")) {
            return null;
        }
        InteropLibrary lib = InteropLibrary.getUncached(o);
        try {
            if (lib.isMemberInvocable(o, name)) {
                return new Method(o, name);
            }
            if (lib.isMemberReadable(o, name)) {
                return Interop.fromForeign(lib.readMember(o, name));
            }
        } catch (InteropException e) {
            return null;
        }
        return null;
    }

    /** Calls a foreign method or a foreign executable; null when {@code callee} is neither. */
    @TruffleBoundary
    public static Object call(Object callee, List<Object> args) {
        Object[] foreignArgs = new Object[args.size()];
        for (int i = 0; i < foreignArgs.length; i++) {
            foreignArgs[i] = Interop.toForeign(args.get(i));
        }
        try {
            if (callee instanceof Method m) {
                return Interop.fromForeign(InteropLibrary.getUncached(m.receiver()).invokeMember(m.receiver(), m.name(), foreignArgs));
            }
            if (callee instanceof TruffleObject && !callee.getClass().getName().startsWith("tsl.")
                    && InteropLibrary.getUncached(callee).isExecutable(callee)) {
                return Interop.fromForeign(InteropLibrary.getUncached(callee).execute(callee, foreignArgs));
            }
        } catch (InteropException e) {
            throw TslError.of("TypeError", "calling a foreign object failed: " + e.getMessage());
        }
        return null;
    }
}
