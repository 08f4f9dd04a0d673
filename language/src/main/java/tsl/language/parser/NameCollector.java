package tsl.language.parser;

import java.util.LinkedHashSet;
import java.util.Set;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

import tsl.grammar.TslParser;

/**
 * Finds the names a function or class body binds (its locals) and its global/nonlocal
 * declarations, without entering nested functions, lambdas or classes.
 */
final class NameCollector {
    final Set<String> assigned = new LinkedHashSet<>();
    final Set<String> globals = new LinkedHashSet<>();
    final Set<String> nonlocals = new LinkedHashSet<>();

    void collect(ParseTree t) {
        if (t instanceof TslParser.FuncdefContext f) {
            assigned.add(f.name.getText());
            return;
        }
        if (t instanceof TslParser.ClassdefContext c) {
            assigned.add(c.name.getText());
            return;
        }
        if (t instanceof TslParser.LambdaTestContext || t instanceof TslParser.Test_nocondContext tn && tn.lambda_params() != null) {
            return;
        }
        if (t instanceof TslParser.Expr_stmtContext e) {
            int n = e.testlist_star_expr().size();
            if (e.augassign() != null) {
                targets(e.testlist_star_expr(0));
            } else {
                for (int i = 0; i < n - 1; i++) {
                    targets(e.testlist_star_expr(i));
                }
            }
        } else if (t instanceof TslParser.For_stmtContext f) {
            targets(f.exprlist());
        } else if (t instanceof TslParser.Comp_forContext c) {
            targets(c.exprlist());
        } else if (t instanceof TslParser.Del_stmtContext d) {
            targets(d.exprlist());
        } else if (t instanceof TslParser.Except_clauseContext e && e.NAME() != null) {
            assigned.add(e.NAME().getText());
        } else if (t instanceof TslParser.With_itemContext w && w.expr() != null) {
            targets(w.expr());
        } else if (t instanceof TslParser.ImportNameContext im) {
            for (TslParser.Dotted_as_nameContext d : im.dotted_as_name()) {
                assigned.add(d.NAME() != null ? d.NAME().getText() : d.dotted_name().NAME(0).getText());
            }
        } else if (t instanceof TslParser.ImportFromContext im && im.import_as_names() != null) {
            for (TslParser.Import_as_nameContext n : im.import_as_names().import_as_name()) {
                assigned.add(n.NAME(n.NAME().size() - 1).getText());
            }
        } else if (t instanceof TslParser.Global_stmtContext g) {
            for (TerminalNode n : g.NAME()) {
                globals.add(n.getText());
            }
        } else if (t instanceof TslParser.Nonlocal_stmtContext g) {
            for (TerminalNode n : g.NAME()) {
                nonlocals.add(n.getText());
            }
        }
        for (int i = 0; i < t.getChildCount(); i++) {
            collect(t.getChild(i));
        }
    }

    /** The names an assignment target (a for loop's target, say) binds. */
    void collectTargets(ParseTree target) {
        targets(target);
    }

    /** Names bound by an assignment target: bare names, possibly inside tuples, lists and stars. */
    private void targets(ParseTree t) {
        if (t instanceof TslParser.PrimaryExprContext p) {
            if (p.trailer().isEmpty()) {
                TslParser.AtomContext a = p.atom();
                if (a instanceof TslParser.NameAtomContext n) {
                    assigned.add(n.NAME().getText());
                } else if (a instanceof TslParser.ParenAtomContext || a instanceof TslParser.ListAtomContext) {
                    for (int i = 0; i < a.getChildCount(); i++) {
                        targets(a.getChild(i));
                    }
                }
            }
            return;
        }
        if (t instanceof TerminalNode) {
            return;
        }
        if (t instanceof ParserRuleContext) {
            for (int i = 0; i < t.getChildCount(); i++) {
                targets(t.getChild(i));
            }
        }
    }
}
