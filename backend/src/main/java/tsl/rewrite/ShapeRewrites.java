package tsl.rewrite;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.shape.Shape;
import tsl.ops.subtensor.Index;
import tsl.ops.subtensor.Subtensor;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The shape feature: static lengths, which every op's makeNode propagates into its output
 * types, replace shape computations — {@code x.shape} of a fully known shape becomes a
 * constant vector and {@code x.shape[i]} of a known length becomes a constant — so that
 * constant folding can finish the arithmetic on them.
 */
final class ShapeRewrites {
    private ShapeRewrites() {}

    static void register(RewriteDB db) {
        String[] tags = {RewriteDB.FAST_RUN, RewriteDB.FAST_COMPILE, "shape"};
        db.local("local_shape_to_constant", Phase.CANONICALIZE, Shape.class, ShapeRewrites::staticShape, tags);
        db.local("local_shape_i_to_constant", Phase.CANONICALIZE, Subtensor.class, ShapeRewrites::staticShapeI, tags);
    }

    static List<Variable> staticShape(FunctionGraph g, Apply node) {
        TensorType t = node.input(0).type();
        long[] s = new long[t.ndim()];
        for (int d = 0; d < s.length; d++) {
            if (t.dim(d) == TensorType.UNKNOWN) {
                return null;
            }
            s[d] = t.dim(d);
        }
        return List.of(T.constant(NDArray.fromLongs(DType.INT64, new int[] {s.length}, s)));
    }

    static List<Variable> staticShapeI(FunctionGraph g, Apply node) {
        Subtensor op = (Subtensor) node.op();
        Variable v = node.input(0);
        if (v.owner() == null || !(v.owner().op() instanceof Shape) || op.idx().size() != 1
                || !(op.idx().get(0) instanceof Index.Point p) || p.at().symbolic()) {
            return null;
        }
        TensorType t = v.owner().input(0).type();
        long i = p.at().value();
        int axis = (int) (i < 0 ? i + t.ndim() : i);
        if (axis < 0 || axis >= t.ndim() || t.dim(axis) == TensorType.UNKNOWN) {
            return null;
        }
        return Patterns.one(T.constant(t.dim(axis), DType.INT64), node);
    }
}
