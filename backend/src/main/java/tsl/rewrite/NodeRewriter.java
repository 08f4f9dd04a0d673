package tsl.rewrite;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;

/**
 * A node-local rewrite (Theano's local optimizer): looks at one node and either declines
 * ({@code null}) or returns one replacement per output of the node. A replacement equal to
 * the output itself means "leave this output alone".
 */
@FunctionalInterface
public interface NodeRewriter {
    List<Variable> transform(FunctionGraph graph, Apply node);
}
