package tsl.language.nodes;

import com.oracle.truffle.api.dsl.TypeSystem;

/**
 * The primitive values specializations see. There is deliberately no implicit long→double
 * cast: an int overflow must become a big int, never a float.
 */
@TypeSystem({long.class, double.class, boolean.class})
public abstract class TslTypes {}
