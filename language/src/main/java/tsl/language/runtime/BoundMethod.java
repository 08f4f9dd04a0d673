package tsl.language.runtime;

import com.oracle.truffle.api.interop.TruffleObject;

/** A function bound to the instance it was looked up on. */
public record BoundMethod(Object self, Object function) implements TruffleObject {
    @Override
    public String toString() {
        return "<bound method " + function + " of " + PyStr.repr(self) + ">";
    }
}
