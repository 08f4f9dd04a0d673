package tsl.compile;

import tsl.graph.SharedVariable;
import tsl.graph.Variable;

/** A pair of function(updates=...): the shared variable and the expression of its new value. */
public record Update(SharedVariable variable, Variable expression) {}
