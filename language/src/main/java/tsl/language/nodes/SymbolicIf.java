package tsl.language.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ControlFlowException;
import com.oracle.truffle.api.profiles.CountingConditionProfile;

import tsl.graph.Variable;
import tsl.language.builtins.ControlModule;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.TslError;

/**
 * An {@code if} statement. With a Python condition it is the ordinary statement. With a
 * symbolic (scalar) condition it lowers to the graph: both branches run once, building graph,
 * and every name either branch binds becomes {@code ifelse(cond, value after then, value
 * after else)}, which computes only the taken branch when the function runs. A name bound
 * in one branch only keeps its earlier value on the other side; with no earlier value it is
 * an error. Statements with effects other than binding names (print, return, break) are not
 * part of a graph: they run once per branch at build time, and return/break/continue are
 * refused.
 */
public final class SymbolicIf extends TslNode {
    @Child private ExprNode cond;
    @Child private TslNode then;
    @Child private TslNode otherwise;
    @Child private BoundNames bound;                     // the names either branch binds
    private final String[] names;
    private final CountingConditionProfile profile = CountingConditionProfile.create();

    public SymbolicIf(ExprNode cond, TslNode then, TslNode otherwise, String[] names, ExprNode[] reads, Targets.Target[] writes) {
        this.cond = cond;
        this.then = then;
        this.otherwise = otherwise;
        this.names = names;
        this.bound = new BoundNames(names, reads, writes);
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
        Object[] before = bound.readAll(frame);
        runBranch(frame, then);
        Object[] afterThen = bound.readAll(frame);
        for (int i = 0; i < names.length; i++) {
            bound.restore(frame, i, before[i]);
        }
        if (otherwise != null) {
            runBranch(frame, otherwise);
        }
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

    private void runBranch(VirtualFrame frame, TslNode branch) {
        try {
            branch.execute(frame);
        } catch (ControlFlowException e) {
            throw TslError.of("NotImplementedError", "not supported yet: return, break or continue inside an if with a symbolic"
                    + " condition (use ifelse(cond, a, b) or switch)").at(getSourceSection());
        }
    }
}
