package tsl.language.nodes;

import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeChild;
import com.oracle.truffle.api.dsl.Specialization;

import tsl.graph.SourceLocation;
import tsl.language.runtime.PyOps;

/**
 * A binary operator. Python ints and floats take fast specialized paths; everything else
 * (big ints, strings, arrays, symbolic variables, user classes) goes through PyOps, with the
 * node's location current so graph nodes remember the line that built them.
 */
@NodeChild("left")
@NodeChild("right")
public abstract class BinaryNode extends ExprNode {
    protected final String op;

    protected BinaryNode(String op) {
        this.op = op;
    }

    protected boolean isAdd() { return op.equals("+"); }
    protected boolean isSub() { return op.equals("-"); }
    protected boolean isMul() { return op.equals("*"); }

    @Specialization(guards = "isAdd()", rewriteOn = ArithmeticException.class)
    protected long addLong(long a, long b) {
        return Math.addExact(a, b);
    }

    @Specialization(guards = "isSub()", rewriteOn = ArithmeticException.class)
    protected long subLong(long a, long b) {
        return Math.subtractExact(a, b);
    }

    @Specialization(guards = "isMul()", rewriteOn = ArithmeticException.class)
    protected long mulLong(long a, long b) {
        return Math.multiplyExact(a, b);
    }

    @Specialization(guards = "isAdd()")
    protected double addDouble(double a, double b) {
        return a + b;
    }

    @Specialization(guards = "isSub()")
    protected double subDouble(double a, double b) {
        return a - b;
    }

    @Specialization(guards = "isMul()")
    protected double mulDouble(double a, double b) {
        return a * b;
    }

    @Fallback
    protected Object generic(Object a, Object b) {
        SourceLocation prev = SourceLocation.enter(location());
        try {
            return PyOps.binary(op, a, b);
        } catch (Throwable t) {
            throw located(t);
        } finally {
            SourceLocation.exit(prev);
        }
    }
}
