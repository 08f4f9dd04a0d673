package tsl.language.runtime;

import com.oracle.truffle.api.interop.TruffleObject;

/** A function stored in a class that is not bound to instances (@staticmethod). */
public record StaticMethod(Object function) implements TruffleObject {}
