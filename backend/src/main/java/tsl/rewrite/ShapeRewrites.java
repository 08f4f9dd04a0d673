package tsl.rewrite;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.reduce.ReducedCount;
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
        db.local("local_reduced_count_lift", Phase.CANONICALIZE, ReducedCount.class, ShapeRewrites::liftReducedCount,
                RewriteDB.FAST_RUN, "shape");
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

    /**
     * The count of an elementwise result is the count of the shape its inputs broadcast to:
     * reading it from the inputs lets the result join a fused loop that also needs the count
     * (a mean's gradient), which would otherwise be a cycle. Inputs known to be all ones along
     * every dimension do not change the broadcast shape and are dropped.
     */
    static List<Variable> liftReducedCount(FunctionGraph g, Apply node) {
        List<Variable> lifted = new ArrayList<>();
        boolean changed = false;
        for (Variable v : node.inputs()) {
            if (v.owner() != null && v.owner().op() instanceof Elemwise && v.owner().outputs().size() == 1) {
                changed = true;
                for (Variable in : v.owner().inputs()) {
                    addDistinct(lifted, in);
                }
            } else {
                addDistinct(lifted, v);
            }
        }
        if (!changed) {
            return null;
        }
        List<Variable> kept = new ArrayList<>();
        for (Variable v : lifted) {
            if (!allOnes(v.type())) {
                kept.add(v);
            }
        }
        if (kept.isEmpty()) {
            kept.add(lifted.get(0)); // every input is one element: any of them has the broadcast shape
        }
        return Patterns.one(node.op().makeNode(kept).output(), node);
    }

    private static void addDistinct(List<Variable> vs, Variable v) {
        for (Variable w : vs) {
            if (w == v) {
                return;
            }
        }
        vs.add(v);
    }

    private static boolean allOnes(TensorType t) {
        for (int d = 0; d < t.ndim(); d++) {
            if (t.dim(d) != 1) {
                return false;
            }
        }
        return true;
    }
}
