package tsl.language.runtime;

import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/** Python's None. */
@ExportLibrary(InteropLibrary.class)
public final class PyNone implements TruffleObject {
    public static final PyNone NONE = new PyNone();

    private PyNone() {}

    @ExportMessage
    boolean isNull() {
        return true;
    }

    @Override
    public String toString() {
        return "None";
    }
}
