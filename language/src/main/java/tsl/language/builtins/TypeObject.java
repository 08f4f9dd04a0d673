package tsl.language.builtins;

import com.oracle.truffle.api.interop.TruffleObject;

import tsl.graph.TensorType;

/** A tensor type as a script value: calling it makes a new symbolic variable of that type. */
public record TypeObject(TensorType type) implements TruffleObject {
    @Override
    public String toString() {
        return type.toString();
    }
}
