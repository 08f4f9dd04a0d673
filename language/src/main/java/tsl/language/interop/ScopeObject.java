package tsl.language.interop;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

import tsl.language.TslLanguage;
import tsl.language.runtime.Interop;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyTuple;

/**
 * A script's global namespace as the polyglot bindings ({@code context.getBindings("tsl")}):
 * the host reads, writes and removes globals; values cross through {@link Interop}'s
 * conversions in both directions.
 */
@ExportLibrary(InteropLibrary.class)
public final class ScopeObject implements TruffleObject {
    private final PyModule module;

    public ScopeObject(PyModule module) {
        this.module = module;
    }

    @ExportMessage
    boolean isScope() {
        return true;
    }

    @ExportMessage
    boolean hasMembers() {
        return true;
    }

    @ExportMessage
    @TruffleBoundary
    Object getMembers(boolean includeInternal) {
        return PyTuple.of(module.attrs.keySet().toArray());
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMemberReadable(String member) {
        return module.attrs.containsKey(member);
    }

    @ExportMessage
    @TruffleBoundary
    Object readMember(String member) throws UnknownIdentifierException {
        Object v = module.attrs.get(member);
        if (v == null) {
            throw UnknownIdentifierException.create(member);
        }
        return Interop.toForeign(v);
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMemberModifiable(String member) {
        return module.attrs.containsKey(member);
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMemberInsertable(String member) {
        return !module.attrs.containsKey(member);
    }

    @ExportMessage
    @TruffleBoundary
    void writeMember(String member, Object value) {
        module.attrs.put(member, Interop.fromForeign(value));
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMemberRemovable(String member) {
        return module.attrs.containsKey(member);
    }

    @ExportMessage
    @TruffleBoundary
    void removeMember(String member) throws UnknownIdentifierException {
        if (module.attrs.remove(member) == null) {
            throw UnknownIdentifierException.create(member);
        }
    }

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<? extends TruffleLanguage<?>> getLanguage() {
        return TslLanguage.class;
    }

    @ExportMessage
    Object toDisplayString(boolean allowSideEffects) {
        return "<globals of " + module.name + ">";
    }
}
