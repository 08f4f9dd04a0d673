package tsl.language.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ControlFlowException;
import com.oracle.truffle.api.profiles.CountingConditionProfile;

import tsl.graph.Variable;
import tsl.language.builtins.ControlModule;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.TslError;
import tsl.ops.T;

/**
 * An {@code if} statement. With a Python condition it is the ordinary statement. With a
 * symbolic (scalar) condition it lowers to the graph: both branches run once, building graph,
 * and every name either branch binds becomes {@code ifelse(cond, value after then, value
 * after else)}, which computes only the taken branch when the function runs. A name bound
 * in one branch only keeps its earlier value on the other side; with no earlier value it is
 * an error. Statements with effects other than binding names (print, return) are not part
 * of a graph: they run once per branch at build time, and return is refused. A break or
 * continue of a loop that is itself lowered to a Scan becomes one of its step's exits
 * ({@link LoopExits}); of any other loop it is refused.
 */
public final class SymbolicIf extends TslNode {
    @Child private ExprNode cond;
    @Child private TslNode then;
    @Child private TslNode otherwise;
    @Child private BoundNames bound;                     // the names either branch binds
    private final String[] names;
    private final Object loop;                           // the innermost loop around this if, or null
    private final CountingConditionProfile profile = CountingConditionProfile.create();

    public SymbolicIf(ExprNode cond, TslNode then, TslNode otherwise, String[] names, ExprNode[] reads, Targets.Target[] writes,
                      Object loop) {
        this.cond = cond;
        this.then = then;
        this.otherwise = otherwise;
        this.names = names;
        this.bound = new BoundNames(names, reads, writes);
        this.loop = loop;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object c = cond.execute(frame);
        if (c instanceof Variable v) {
            CompilerDirectives.transferToInterpreter(); // building graph: not worth compiling
            lower(frame, v);
            return null;
        }
        if (profile.profile(truthy(c))) {
            then.execute(frame);
        } else if (otherwise != null) {
            otherwise.execute(frame);
        }
        return null;
    }

    private void lower(VirtualFrame frame, Variable c) {
        LoopExits exits = LoopExits.of(loop);
        Variable taken = exits == null ? null : LoopExits.truth(c);
        Variable notTaken = exits == null ? null : T.invert(taken);
        Object[] before = bound.readAll(frame);
        int mark = exits == null ? 0 : exits.mark();
        ControlFlowException thenEnd = runBranch(frame, then, exits);
        if (exits != null) {
            exits.guard(mark, taken);
        }
        Object[] afterThen = bound.readAll(frame);
        for (int i = 0; i < names.length; i++) {
            bound.restore(frame, i, before[i]);
        }
        ControlFlowException elseEnd = null;
        if (otherwise != null) {
            mark = exits == null ? 0 : exits.mark();
            elseEnd = runBranch(frame, otherwise, exits);
            if (exits != null) {
                exits.guard(mark, notTaken);
            }
        }
        merge(frame, c, afterThen);
        // a branch that ended with break/continue leaves the loop's names as they are now on its side
        if (thenEnd != null) {
            exits.exit(frame, taken, thenEnd instanceof ControlFlow.Break);
        }
        if (elseEnd != null) {
            exits.exit(frame, notTaken, elseEnd instanceof ControlFlow.Break);
        }
    }

    private void merge(VirtualFrame frame, Variable c, Object[] afterThen) {
        Object[] afterElse = bound.readAll(frame);
        for (int i = 0; i < names.length; i++) {
            Object a = afterThen[i];
            Object b = afterElse[i];
            if (a == b || (a != null && b != null && !(a instanceof Variable) && !(b instanceof Variable) && PyOps.eq(a, b))) {
                if (a != null) {
                    bound.assign(frame, i, a);
                }
                continue;
            }
            if (a == null || b == null) {
                throw TslError.of("NameError", "name '" + names[i] + "' is bound in only one branch of an if with a symbolic"
                        + " condition and has no value before it").at(getSourceSection());
            }
            try {
                bound.assign(frame, i, ControlModule.conditional(c, a, b));
            } catch (TslError e) {
                throw e.at(getSourceSection());
            }
        }
    }

    /** Runs one branch: the break or continue it ended with when that is an exit of a lowered loop, else null. */
    private ControlFlowException runBranch(VirtualFrame frame, TslNode branch, LoopExits exits) {
        try {
            branch.execute(frame);
            return null;
        } catch (ControlFlow.Break | ControlFlow.Continue e) {
            if (exits != null) {
                return e;
            }
            throw TslError.of("NotImplementedError", "not supported yet: break or continue inside an if with a symbolic"
                    + " condition, unless the loop it ends is itself over symbolic values (a for over a symbolic tensor or"
                    + " a while with a symbolic condition)").at(getSourceSection());
        } catch (ControlFlow.Return e) {
            if (exits != null) {
                throw ScanLowering.returnInLoop(e, "loop over symbolic values");
            }
            TslError err = TslError.of("NotImplementedError", "not supported yet: return inside an if with a symbolic"
                    + " condition (use ifelse(cond, a, b) or switch)");
            throw err.at((e.origin != null ? e.origin : this).getSourceSection());
        }
    }
}
