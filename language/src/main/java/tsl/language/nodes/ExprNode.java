package tsl.language.nodes;

import com.oracle.truffle.api.dsl.TypeSystemReference;

/** A node that computes a value. */
@TypeSystemReference(TslTypes.class)
public abstract class ExprNode extends TslNode {}
