package tsl.language.parser;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;

import tsl.grammar.TslParser;
import tsl.grammar.TslParser.*;
import tsl.language.TslLanguage;
import tsl.language.nodes.BinaryNodeGen;
import tsl.language.nodes.ClassBody;
import tsl.language.nodes.ClassDef;
import tsl.language.nodes.Comprehension;
import tsl.language.nodes.ExprNode;
import tsl.language.nodes.Exprs;
import tsl.language.nodes.FunctionRoot;
import tsl.language.nodes.Import;
import tsl.language.nodes.Stmts;
import tsl.language.nodes.SymbolicIf;
import tsl.language.nodes.ControlConstruct;
import tsl.language.nodes.BoundNames;
import tsl.language.nodes.Targets;
import tsl.language.nodes.TslNode;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.Signature;
import tsl.language.runtime.TslError;

/** Builds the Truffle AST of a module from its ANTLR parse tree, resolving every name to a slot, a closure slot or a global. */
public final class AstBuilder {
    private final TslLanguage language;
    private final Source source;
    /** The name of the module whose globals the code reads; nodes find the module in the running context. */
    private final String globals;
    private Scope scope;

    public AstBuilder(TslLanguage language, Source source, String module) {
        this.language = language;
        this.source = source;
        this.globals = module;
    }

    /** The module's code as a call target whose root returns the value of a trailing expression statement when {@code echo}. */
    public RootCallTarget buildModule(ParserRuleContext tree, List<ParseTree> statements, String name) {
        scope = new Scope(Scope.Kind.MODULE, null, "<module>");
        List<TslNode> body = new ArrayList<>();
        try {
            for (ParseTree s : statements) {
                addStatement(body, s);
            }
        } catch (SyntaxErrors.Failure f) {
            throw Parsing.located(source, f);
        }
        TslNode block = located(new tsl.language.nodes.ModuleBody(body.toArray(new TslNode[0]), TslLanguage.PROMPT_MIME.equals(source.getMimeType())), tree);
        FunctionRoot root = new FunctionRoot(language, scope.build(), name, 0, block, true, section(tree));
        return root.getCallTarget();
    }

    // ------------------------------------------------------------------ helpers

    private SourceSection section(ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop();
        int s = start.getStartIndex();
        int e = stop == null ? s : Math.max(stop.getStopIndex(), s - 1);
        int len = source.getLength();
        if (s < 0 || s > len) {
            return source.createUnavailableSection();
        }
        if (start.getType() == TslParser.INDENT || start.getType() == TslParser.DEDENT || start.getType() == TslParser.NEWLINE) {
            return source.createSection(Math.min(s, len), 0);
        }
        return source.createSection(s, Math.max(0, Math.min(e, len - 1) - s + 1));
    }

    private <T extends TslNode> T located(T node, ParserRuleContext ctx) {
        node.setSection(section(ctx));
        return node;
    }

    private SyntaxErrors.Failure error(ParserRuleContext ctx, String msg) {
        return new SyntaxErrors.Failure(ctx.getStart().getLine(), ctx.getStart().getCharPositionInLine() + 1, msg);
    }

    // ------------------------------------------------------------------ statements

    private void addStatement(List<TslNode> out, ParseTree t) {
        if (t instanceof StmtContext s) {
            if (s.simple_stmts() != null) {
                for (Simple_stmtContext ss : s.simple_stmts().simple_stmt()) {
                    out.add(simple(ss));
                }
            } else {
                out.add(compound(s.compound_stmt()));
            }
        } else if (t instanceof Simple_stmtsContext ss) {
            for (Simple_stmtContext x : ss.simple_stmt()) {
                out.add(simple(x));
            }
        } else if (t instanceof Compound_stmtContext c) {
            out.add(compound(c));
        }
    }

    private TslNode block(BlockContext b) {
        List<TslNode> out = new ArrayList<>();
        if (b.simple_stmts() != null) {
            addStatement(out, b.simple_stmts());
        } else {
            for (StmtContext s : b.stmt()) {
                addStatement(out, s);
            }
        }
        return located(new Stmts.Block(out.toArray(new TslNode[0])), b);
    }

    private TslNode simple(Simple_stmtContext s) {
        ParseTree c = s.getChild(0);
        TslNode n;
        if (c instanceof Expr_stmtContext e) {
            n = exprStmt(e);
        } else if (c instanceof Pass_stmtContext) {
            n = new Stmts.Pass();
        } else if (c instanceof Break_stmtContext b) {
            if (scope.loops.isEmpty()) {
                throw error(b, "'break' outside loop");
            }
            n = new Stmts.Break();
        } else if (c instanceof Continue_stmtContext k) {
            if (scope.loops.isEmpty()) {
                throw error(k, "'continue' not properly in loop");
            }
            n = new Stmts.Continue();
        } else if (c instanceof Return_stmtContext r) {
            if (scope.kind != Scope.Kind.FUNCTION) {
                throw error(r, "'return' outside function");
            }
            n = new Stmts.Return(r.testlist_star_expr() == null ? null : tupleOrSingle(r.testlist_star_expr()));
        } else if (c instanceof Raise_stmtContext r) {
            n = new Stmts.Raise(r.test().isEmpty() ? null : expr(r.test(0)));
        } else if (c instanceof Assert_stmtContext a) {
            n = new Stmts.Assert(expr(a.test(0)), a.test().size() > 1 ? expr(a.test(1)) : null);
        } else if (c instanceof Del_stmtContext d) {
            n = new Stmts.Del(targetList(d.exprlist()));
        } else if (c instanceof Global_stmtContext || c instanceof Nonlocal_stmtContext) {
            n = new Stmts.Pass(); // resolved when the scope was collected
        } else if (c instanceof Import_stmtContext im) {
            n = importStmt(im);
        } else {
            throw error(s, "unsupported statement");
        }
        return located(n, s);
    }

    private TslNode exprStmt(Expr_stmtContext e) {
        List<Testlist_star_exprContext> parts = e.testlist_star_expr();
        if (e.augassign() != null) {
            Testlist_star_exprContext t = parts.get(0);
            String op = e.augassign().op.getText();
            op = op.substring(0, op.length() - 1);
            return new Stmts.AugAssign(tupleOrSingle(t), op, testlist(e.testlist()), target(t));
        }
        if (parts.size() == 1) {
            return new Stmts.ExprStmt(tupleOrSingle(parts.get(0)));
        }
        Targets.Target[] targets = new Targets.Target[parts.size() - 1];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = target(parts.get(i));
        }
        return new Stmts.Assign(targets, tupleOrSingle(parts.get(parts.size() - 1)));
    }

    private TslNode importStmt(Import_stmtContext im) {
        if (im instanceof ImportNameContext n) {
            List<TslNode> out = new ArrayList<>();
            for (Dotted_as_nameContext d : n.dotted_as_name()) {
                String mod = d.dotted_name().getText();
                String bind = d.NAME() != null ? d.NAME().getText() : d.dotted_name().NAME(0).getText();
                out.add(located(new Import(mod, null, new Targets.Target[] {nameTarget(bind, d)}, d.NAME() == null), d));
            }
            return out.size() == 1 ? out.get(0) : new Stmts.Block(out.toArray(new TslNode[0]));
        }
        ImportFromContext f = (ImportFromContext) im;
        if (f.star != null) {
            throw error(f, "not supported yet: from ... import *");
        }
        List<Import_as_nameContext> names = f.import_as_names().import_as_name();
        String[] ns = new String[names.size()];
        Targets.Target[] ts = new Targets.Target[names.size()];
        for (int i = 0; i < ns.length; i++) {
            ns[i] = names.get(i).NAME(0).getText();
            String bind = names.get(i).NAME(names.get(i).NAME().size() - 1).getText();
            ts[i] = nameTarget(bind, names.get(i));
        }
        return new Import(f.dotted_name().getText(), ns, ts, false);
    }

    private TslNode compound(Compound_stmtContext c) {
        ParseTree x = c.getChild(0);
        TslNode n;
        if (x instanceof If_stmtContext i) {
            n = ifStmt(i.test(), i.block(), i.elif_clause(), i.else_clause(), 0);
        } else if (x instanceof While_stmtContext w) {
            Object loop = new Object();
            ExprNode test = expr(w.test());
            TslNode body = loopBody(loop, w.block());
            n = new Stmts.While(test, body, w.else_clause() == null ? null : block(w.else_clause().block()), loopNames(w), loop);
        } else if (x instanceof For_stmtContext f) {
            Object loop = new Object();
            Targets.Target target = target(f.exprlist());
            ExprNode iterable = testlist(f.testlist());
            TslNode body = loopBody(loop, f.block());
            n = new Stmts.For(target, iterable, body, f.else_clause() == null ? null : block(f.else_clause().block()),
                    loopNames(f), loopTargetNames(f), loop);
        } else if (x instanceof Try_stmtContext t) {
            n = tryStmt(t);
        } else if (x instanceof FuncdefContext f) {
            n = new Stmts.Assign(new Targets.Target[] {nameTarget(f.name.getText(), f)}, funcdef(f));
        } else if (x instanceof ClassdefContext cd) {
            n = new Stmts.Assign(new Targets.Target[] {nameTarget(cd.name.getText(), cd)}, classdef(cd));
        } else if (x instanceof DecoratedContext d) {
            n = decorated(d);
        } else if (x instanceof With_stmtContext w) {
            throw error(w, "not supported yet: the with statement");
        } else {
            throw error(c, "unsupported statement");
        }
        return located(n, c);
    }

    /** A loop's body, with {@code loop} as the loop its break/continue statements end (its else clause is outside). */
    private TslNode loopBody(Object loop, BlockContext body) {
        scope.loops.addLast(loop);
        try {
            return block(body);
        } finally {
            scope.loops.removeLast();
        }
    }

    private TslNode ifStmt(TestContext test, BlockContext body, List<Elif_clauseContext> elifs, Else_clauseContext orelse, int k) {
        TslNode rest;
        if (k < elifs.size()) {
            Elif_clauseContext e = elifs.get(k);
            rest = located(ifStmt(e.test(), e.block(), elifs, orelse, k + 1), e);
        } else {
            rest = orelse == null ? null : block(orelse.block());
        }
        ExprNode cond = expr(test);
        TslNode then = block(body);
        // the names either branch binds: an if with a symbolic condition merges them with ifelse
        NameCollector bound = new NameCollector();
        bound.collect(body);
        for (int i = k; i < elifs.size(); i++) {
            bound.collect(elifs.get(i));
        }
        if (orelse != null) {
            bound.collect(orelse);
        }
        String[] names = bound.assigned.toArray(new String[0]);
        ExprNode[] reads = new ExprNode[names.length];
        Targets.Target[] writes = new Targets.Target[names.length];
        for (int i = 0; i < names.length; i++) {
            reads[i] = readName(names[i], test);
            writes[i] = nameTarget(names[i], test);
        }
        return new SymbolicIf(cond, then, rest, names, reads, writes, scope.loops.peekLast());
    }

    /** The names a for or while statement binds (target and body): a loop over symbolic values lowers them into a Scan. */
    private BoundNames loopNames(ParserRuleContext f) {
        NameCollector bound = new NameCollector();
        bound.collect(f);
        String[] names = bound.assigned.toArray(new String[0]);
        ExprNode[] reads = new ExprNode[names.length];
        Targets.Target[] writes = new Targets.Target[names.length];
        for (int i = 0; i < names.length; i++) {
            reads[i] = readName(names[i], f);
            writes[i] = nameTarget(names[i], f);
        }
        return new BoundNames(names, reads, writes);
    }

    private static String[] loopTargetNames(For_stmtContext f) {
        NameCollector t = new NameCollector();
        t.collectTargets(f.exprlist());
        return t.assigned.toArray(new String[0]);
    }

    private TslNode tryStmt(Try_stmtContext t) {
        List<Except_clauseContext> ex = t.except_clause();
        ExprNode[] types = new ExprNode[ex.size()];
        Targets.Target[] names = new Targets.Target[ex.size()];
        TslNode[] handlers = new TslNode[ex.size()];
        for (int i = 0; i < ex.size(); i++) {
            Except_clauseContext e = ex.get(i);
            types[i] = e.test() == null ? null : expr(e.test());
            names[i] = e.NAME() == null ? null : nameTarget(e.NAME().getText(), e);
            handlers[i] = block(e.block());
        }
        return new Stmts.Try(block(t.block()), types, names, handlers,
                t.else_clause() == null ? null : block(t.else_clause().block()),
                t.finally_clause() == null ? null : block(t.finally_clause().block()));
    }

    private TslNode decorated(DecoratedContext d) {
        String name;
        ExprNode value;
        ParserRuleContext def;
        if (d.funcdef() != null) {
            name = d.funcdef().name.getText();
            value = funcdef(d.funcdef());
            def = d.funcdef();
        } else {
            name = d.classdef().name.getText();
            value = classdef(d.classdef());
            def = d.classdef();
        }
        List<DecoratorContext> decs = d.decorator();
        for (int i = decs.size() - 1; i >= 0; i--) {
            ExprNode dec = expr(decs.get(i).test());
            value = located(new Exprs.Call(dec, new ExprNode[] {value}, new boolean[] {false}, new String[0], new ExprNode[0]), decs.get(i));
        }
        return located(new Stmts.Assign(new Targets.Target[] {nameTarget(name, def)}, value), d);
    }

    // ------------------------------------------------------------------ functions and classes

    private ExprNode funcdef(FuncdefContext f) {
        List<ParameterContext> params = f.parameters() == null ? List.of() : f.parameters().parameter();
        return function(f.name.getText(), params, null, f.block(), null, f);
    }

    private ExprNode function(String name, List<ParameterContext> params, List<Lambda_paramContext> lparams,
                              BlockContext body, TestContext lambdaBody, ParserRuleContext ctx) {
        List<String> positional = new ArrayList<>();
        List<ExprNode> defaults = new ArrayList<>();
        List<String> kwonly = new ArrayList<>();
        List<ExprNode> kwDefaults = new ArrayList<>();
        String varargs = null;
        String kwargs = null;
        boolean afterStar = false;
        if (params != null) {
            for (ParameterContext p : params) {
                if (p instanceof PlainParamContext pp) {
                    String n = pp.NAME().getText();
                    TestContext dflt = pp.test().isEmpty() ? null : pp.test(pp.test().size() - 1);
                    boolean hasDefault = pp.getChildCount() >= 3 && pp.getChild(pp.getChildCount() - 2).getText().equals("=");
                    if (afterStar) {
                        kwonly.add(n);
                        kwDefaults.add(hasDefault ? expr(dflt) : null);
                    } else {
                        positional.add(n);
                        if (hasDefault) {
                            defaults.add(expr(dflt));
                        } else if (!defaults.isEmpty()) {
                            throw error(pp, "non-default argument follows default argument");
                        }
                    }
                } else if (p instanceof StarParamContext sp) {
                    afterStar = true;
                    varargs = sp.NAME() == null ? null : sp.NAME().getText();
                } else if (p instanceof KwParamContext kp) {
                    kwargs = kp.NAME().getText();
                }
            }
        }
        if (lparams != null) {
            for (Lambda_paramContext p : lparams) {
                if (p instanceof PlainLambdaParamContext pp) {
                    String n = pp.NAME().getText();
                    if (afterStar) {
                        kwonly.add(n);
                        kwDefaults.add(pp.test() == null ? null : expr(pp.test()));
                    } else {
                        positional.add(n);
                        if (pp.test() != null) {
                            defaults.add(expr(pp.test()));
                        }
                    }
                } else if (p instanceof StarLambdaParamContext sp) {
                    afterStar = true;
                    varargs = sp.NAME() == null ? null : sp.NAME().getText();
                } else if (p instanceof KwLambdaParamContext kp) {
                    kwargs = kp.NAME().getText();
                }
            }
        }
        // default values are evaluated in the defining scope
        Scope outer = scope;
        scope = new Scope(Scope.Kind.FUNCTION, outer, name);
        try {
            for (String p : positional) {
                scope.addLocal(p);
            }
            scope.firstParam = positional.isEmpty() ? null : positional.get(0);
            if (varargs != null) {
                scope.addLocal(varargs);
            }
            for (String k : kwonly) {
                scope.addLocal(k);
            }
            if (kwargs != null) {
                scope.addLocal(kwargs);
            }
            NameCollector names = new NameCollector();
            if (body != null) {
                names.collect(body);
            } else {
                names.collect(lambdaBody);
            }
            scope.globals.addAll(names.globals);
            scope.nonlocals.addAll(names.nonlocals);
            for (String n : names.assigned) {
                if (!names.globals.contains(n) && !names.nonlocals.contains(n)) {
                    scope.addLocal(n);
                }
            }
            TslNode b = body != null ? block(body) : expr(lambdaBody);
            Signature sig = new Signature(name, positional.toArray(new String[0]), defaults.size(), varargs,
                    kwonly.toArray(new String[0]), kwargs);
            FunctionRoot root = new FunctionRoot(language, scope.build(), name, sig.slotCount(), b, body == null, section(ctx));
            return located(new Exprs.MakeFunction(name, sig, root.getCallTarget(), defaults.toArray(new ExprNode[0]),
                    kwDefaults.toArray(new ExprNode[0])), ctx);
        } finally {
            scope = outer;
        }
    }

    private ExprNode classdef(ClassdefContext c) {
        ExprNode base = null;
        if (c.arglist() != null) {
            List<ArgumentContext> args = c.arglist().argument();
            if (args.size() > 1) {
                throw error(c, "not supported yet: multiple inheritance");
            }
            if (args.size() == 1) {
                if (!(args.get(0) instanceof PositionalArgContext pa)) {
                    throw error(c, "not supported yet: class keyword arguments (metaclasses)");
                }
                base = expr(pa.test());
            }
        }
        String name = c.name.getText();
        Scope outer = scope;
        scope = new Scope(Scope.Kind.CLASS, outer, name);
        ExprNode bodyFn;
        try {
            NameCollector names = new NameCollector();
            names.collect(c.block());
            for (String n : names.assigned) {
                scope.addLocal(n);
            }
            String[] locals = scope.slots.keySet().toArray(new String[0]);
            TslNode b = block(c.block());
            ClassBody cb = located(new ClassBody(b, locals), c);
            FunctionRoot root = new FunctionRoot(language, scope.build(), name, 0, cb, true, section(c));
            Signature sig = new Signature(name, new String[0], 0, null, new String[0], null);
            bodyFn = new Exprs.MakeFunction(name, sig, root.getCallTarget(), new ExprNode[0], new ExprNode[0]);
        } finally {
            scope = outer;
        }
        return located(new ClassDef(name, base, bodyFn), c);
    }

    // ------------------------------------------------------------------ names

    private ExprNode readName(String name, ParserRuleContext ctx) {
        ExprNode n;
        if (scope.kind != Scope.Kind.MODULE && scope.globals.contains(name)) {
            n = new Exprs.ReadGlobal(globals, name);
        } else if (scope.isLocal(name)) {
            n = new Exprs.ReadLocal(scope.slots.get(name), name);
        } else {
            int depth = 0;
            Scope s = scope;
            n = null;
            while (s.parent != null) {
                depth++;
                s = s.parent;
                if (s.kind == Scope.Kind.FUNCTION && s.slots.containsKey(name) && !s.globals.contains(name)
                        && !s.nonlocals.contains(name)) {
                    n = new Exprs.ReadScope(depth, s.slots.get(name), name);
                    break;
                }
            }
            if (n == null) {
                n = new Exprs.ReadGlobal(globals, name);
            }
        }
        return located(n, ctx);
    }

    private Targets.Target nameTarget(String name, ParserRuleContext ctx) {
        Targets.Target t;
        if (scope.kind == Scope.Kind.MODULE || scope.globals.contains(name)) {
            t = new Targets.Global(globals, name);
        } else if (scope.nonlocals.contains(name)) {
            int depth = 0;
            Scope s = scope;
            t = null;
            while (s.parent != null) {
                depth++;
                s = s.parent;
                if (s.kind == Scope.Kind.FUNCTION && s.slots.containsKey(name)) {
                    t = new Targets.Scope(depth, s.slots.get(name));
                    break;
                }
            }
            if (t == null) {
                throw error(ctx, "no binding for nonlocal '" + name + "' found");
            }
        } else {
            t = new Targets.Local(scope.addLocal(name));
        }
        return located(t, ctx);
    }

    // ------------------------------------------------------------------ targets

    private Targets.Target target(ParserRuleContext t) {
        if (t instanceof Testlist_star_exprContext l) {
            if (l.getChildCount() == 1) {
                return target((ParserRuleContext) l.getChild(0));
            }
            return unpack(l, l.children);
        }
        if (t instanceof ExprlistContext l) {
            if (l.getChildCount() == 1) {
                return target((ParserRuleContext) l.getChild(0));
            }
            return unpack(l, l.children);
        }
        if (t instanceof Testlist_compContext l) {
            return unpack(l, l.children);
        }
        if (t instanceof PrimaryExprContext p) {
            List<TrailerContext> tr = p.trailer();
            if (tr.isEmpty()) {
                AtomContext a = p.atom();
                if (a instanceof NameAtomContext n) {
                    return nameTarget(n.NAME().getText(), n);
                }
                if (a instanceof ParenAtomContext pa && pa.testlist_comp() != null) {
                    Testlist_compContext tc = pa.testlist_comp();
                    if (tc.getChildCount() == 1) {
                        return target((ParserRuleContext) tc.getChild(0));
                    }
                    return unpack(tc, tc.children);
                }
                if (a instanceof ListAtomContext la && la.testlist_comp() != null) {
                    return unpack(la.testlist_comp(), la.testlist_comp().children);
                }
                throw error(p, "cannot assign to literal");
            }
            ExprNode obj = primary(p.atom(), tr.subList(0, tr.size() - 1), p);
            TrailerContext last = tr.get(tr.size() - 1);
            if (last instanceof AttributeTrailerContext at) {
                return located(new Targets.Attr(obj, at.callable_name().getText()), p);
            }
            if (last instanceof SubscriptTrailerContext st) {
                return located(new Targets.Item(obj, subscripts(st.subscriptlist())), p);
            }
            throw error(p, "cannot assign to function call");
        }
        if (t instanceof Star_exprContext) {
            throw error(t, "starred assignment target must be in a list or tuple");
        }
        // unwrap single-child wrappers (test → or_test → ... → expr)
        if (t.getChildCount() == 1 && t.getChild(0) instanceof ParserRuleContext inner) {
            return target(inner);
        }
        throw error(t, "cannot assign to expression");
    }

    private Targets.Target unpack(ParserRuleContext ctx, List<ParseTree> children) {
        List<Targets.Target> ts = new ArrayList<>();
        int star = -1;
        for (ParseTree c : children) {
            if (c instanceof TerminalNode) {
                continue;
            }
            if (c instanceof Star_exprContext s) {
                if (star >= 0) {
                    throw error(s, "multiple starred expressions in assignment");
                }
                star = ts.size();
                ts.add(target(s.expr()));
            } else if (c instanceof Comp_forContext) {
                throw error(ctx, "cannot assign to comprehension");
            } else {
                ts.add(target((ParserRuleContext) c));
            }
        }
        return located(new Targets.Unpack(ts.toArray(new Targets.Target[0]), star), ctx);
    }

    private Targets.Target[] targetList(ExprlistContext l) {
        List<Targets.Target> ts = new ArrayList<>();
        for (ParseTree c : l.children) {
            if (!(c instanceof TerminalNode)) {
                ts.add(target((ParserRuleContext) c));
            }
        }
        return ts.toArray(new Targets.Target[0]);
    }

    // ------------------------------------------------------------------ expressions

    private ExprNode tupleOrSingle(Testlist_star_exprContext t) {
        if (t.getChildCount() == 1 && !(t.getChild(0) instanceof Star_exprContext)) {
            return expr((ParserRuleContext) t.getChild(0));
        }
        return display(Exprs.Display.Kind.TUPLE, t, t.children);
    }

    private ExprNode testlist(TestlistContext t) {
        if (t.getChildCount() == 1) {
            return expr(t.test(0));
        }
        return display(Exprs.Display.Kind.TUPLE, t, t.children);
    }

    private ExprNode display(Exprs.Display.Kind kind, ParserRuleContext ctx, List<ParseTree> children) {
        List<ExprNode> items = new ArrayList<>();
        List<Boolean> stars = new ArrayList<>();
        if (children != null) {
            for (ParseTree c : children) {
                if (c instanceof TerminalNode) {
                    continue;
                }
                if (c instanceof Star_exprContext s) {
                    items.add(expr(s.expr()));
                    stars.add(true);
                } else {
                    items.add(expr((ParserRuleContext) c));
                    stars.add(false);
                }
            }
        }
        boolean[] st = new boolean[stars.size()];
        for (int i = 0; i < st.length; i++) {
            st[i] = stars.get(i);
        }
        return located(new Exprs.Display(kind, items.toArray(new ExprNode[0]), st), ctx);
    }

    ExprNode expr(ParserRuleContext t) {
        if (t instanceof ConditionalTestContext c) {
            if (c.test() == null) {
                return expr(c.or_test(0));
            }
            return located(new Exprs.Conditional(expr(c.or_test(1)), expr(c.or_test(0)), expr(c.test())), c);
        }
        if (t instanceof LambdaTestContext l) {
            return function("<lambda>", null, l.lambda_params() == null ? List.of() : l.lambda_params().lambda_param(), null, l.test(), l);
        }
        if (t instanceof Test_nocondContext tn) {
            if (tn.or_test() != null) {
                return expr(tn.or_test());
            }
            throw error(tn, "not supported yet: lambda in a comprehension condition");
        }
        if (t instanceof Or_testContext o) {
            ExprNode e = expr(o.and_test(0));
            for (int i = 1; i < o.and_test().size(); i++) {
                e = located(new Exprs.Logical(false, e, expr(o.and_test(i))), o);
            }
            return e;
        }
        if (t instanceof And_testContext a) {
            ExprNode e = expr(a.not_test(0));
            for (int i = 1; i < a.not_test().size(); i++) {
                e = located(new Exprs.Logical(true, e, expr(a.not_test(i))), a);
            }
            return e;
        }
        if (t instanceof Not_testContext n) {
            if (n.not_test() != null) {
                return located(new Exprs.Unary("not", expr(n.not_test())), n);
            }
            return expr(n.comparison());
        }
        if (t instanceof ComparisonContext c) {
            if (c.comp_op().isEmpty()) {
                return expr(c.expr(0));
            }
            String[] ops = new String[c.comp_op().size()];
            for (int i = 0; i < ops.length; i++) {
                Comp_opContext op = c.comp_op(i);
                ops[i] = op.getChildCount() == 2 ? op.getChild(0).getText() + " " + op.getChild(1).getText() : op.getText();
            }
            ExprNode[] operands = new ExprNode[c.expr().size()];
            for (int i = 0; i < operands.length; i++) {
                operands[i] = expr(c.expr(i));
            }
            return located(new Exprs.Compare(ops, operands), c);
        }
        if (t instanceof BinaryExprContext b) {
            return located(BinaryNodeGen.create(b.op.getText(), expr(b.expr(0)), expr(b.expr(1))), b);
        }
        if (t instanceof UnaryExprContext u) {
            String op = u.op.getText();
            ExprNode operand = expr(u.expr());
            if (op.equals("-") && operand instanceof Exprs.Literal) {
                Object v = operand.execute(null);
                if (v instanceof Long l && l != Long.MIN_VALUE) {
                    return located(new Exprs.Literal(-l), u);
                }
                if (v instanceof Double d) {
                    return located(new Exprs.Literal(-d), u);
                }
            }
            return located(new Exprs.Unary(op, operand), u);
        }
        if (t instanceof PrimaryExprContext p) {
            return primary(p.atom(), p.trailer(), p);
        }
        if (t instanceof ControlExprContext c) {
            Control_callContext k = c.control_call();
            String keyword = k.keyword.getText();
            ExprNode construct = located(new ControlConstruct(keyword, call(readName(keyword, k), k.arglist())), k);
            return trailers(construct, k.getStart(), c.trailer());
        }
        if (t instanceof Star_exprContext s) {
            throw error(s, "can't use starred expression here");
        }
        if (t.getChildCount() == 1 && t.getChild(0) instanceof ParserRuleContext inner) {
            return expr(inner);
        }
        throw error(t, "unsupported expression");
    }

    private ExprNode primary(AtomContext atom, List<TrailerContext> trailers, ParserRuleContext whole) {
        if (!trailers.isEmpty() && trailers.get(0) instanceof CallTrailerContext c && isZeroArgSuper(atom, c)) {
            // Python's zero-argument super() is super(<enclosing class>, <first parameter>)
            ParserRuleContext span = new ParserRuleContext();
            span.start = atom.getStart();
            span.stop = c.getStop();
            ExprNode[] args = {readName(scope.parent.name, atom), readName(scope.firstParam, atom)};
            ExprNode e = located(new Exprs.Call(atom(atom), args, new boolean[2], new String[0], new ExprNode[0]), span);
            return trailers(e, atom.getStart(), trailers.subList(1, trailers.size()));
        }
        return trailers(atom(atom), atom.getStart(), trailers);
    }

    /** Applies attribute, subscript and call trailers to {@code e}; each node's span starts at {@code start}. */
    private ExprNode trailers(ExprNode e, Token start, List<TrailerContext> trailers) {
        for (TrailerContext tr : trailers) {
            ParserRuleContext span = new ParserRuleContext();
            span.start = start;
            span.stop = tr.getStop();
            if (tr instanceof AttributeTrailerContext a) {
                e = located(new Exprs.Attribute(e, a.callable_name().getText()), span);
            } else if (tr instanceof SubscriptTrailerContext s) {
                e = located(new Exprs.Subscript(e, subscripts(s.subscriptlist())), span);
            } else {
                e = located(call(e, ((CallTrailerContext) tr).arglist()), span);
            }
        }
        return e;
    }

    private boolean isZeroArgSuper(AtomContext atom, CallTrailerContext call) {
        return atom.getText().equals("super") && call.arglist() == null && scope.kind == Scope.Kind.FUNCTION
                && scope.parent != null && scope.parent.kind == Scope.Kind.CLASS && scope.firstParam != null;
    }

    private Exprs.Call call(ExprNode callee, ArglistContext args) {
        List<ExprNode> pos = new ArrayList<>();
        List<Boolean> star = new ArrayList<>();
        List<String> kwNames = new ArrayList<>();
        List<ExprNode> kwValues = new ArrayList<>();
        if (args != null) {
            for (ArgumentContext a : args.argument()) {
                if (a instanceof PositionalArgContext p) {
                    if (!kwNames.isEmpty()) {
                        throw error(p, "positional argument follows keyword argument");
                    }
                    pos.add(p.comp_for() != null ? comprehension(Comprehension.Kind.LIST, p.test(), null, p.comp_for(), p) : expr(p.test()));
                    star.add(false);
                } else if (a instanceof StarArgContext s) {
                    pos.add(expr(s.test()));
                    star.add(true);
                } else if (a instanceof KeywordArgContext k) {
                    kwNames.add(k.NAME().getText());
                    kwValues.add(expr(k.test()));
                } else if (a instanceof KwSplatArgContext k) {
                    kwNames.add(null);
                    kwValues.add(expr(k.test()));
                }
            }
        }
        boolean[] st = new boolean[star.size()];
        for (int i = 0; i < st.length; i++) {
            st[i] = star.get(i);
        }
        return new Exprs.Call(callee, pos.toArray(new ExprNode[0]), st, kwNames.toArray(new String[0]), kwValues.toArray(new ExprNode[0]));
    }

    private ExprNode subscripts(SubscriptlistContext l) {
        if (l.subscript().size() == 1 && l.trailingComma == null) {
            return subscript(l.subscript(0));
        }
        ExprNode[] items = new ExprNode[l.subscript().size()];
        for (int i = 0; i < items.length; i++) {
            items[i] = subscript(l.subscript(i));
        }
        return located(new Exprs.Display(Exprs.Display.Kind.TUPLE, items, new boolean[items.length]), l);
    }

    private ExprNode subscript(SubscriptContext s) {
        if (s instanceof IndexSubscriptContext i) {
            return expr(i.test());
        }
        SliceSubscriptContext sl = (SliceSubscriptContext) s;
        return located(new Exprs.Slice(sl.lower == null ? null : expr(sl.lower), sl.upper == null ? null : expr(sl.upper),
                sl.step == null ? null : expr(sl.step)), sl);
    }

    private ExprNode atom(AtomContext a) {
        if (a instanceof NameAtomContext n) {
            return readName(n.NAME().getText(), n);
        }
        if (a instanceof NumberAtomContext n) {
            return located(new Exprs.Literal(number(n)), n);
        }
        if (a instanceof StringAtomContext s) {
            return strings(s);
        }
        if (a instanceof NoneAtomContext) {
            return located(new Exprs.Literal(PyNone.NONE), a);
        }
        if (a instanceof TrueAtomContext) {
            return located(new Exprs.Literal(Boolean.TRUE), a);
        }
        if (a instanceof FalseAtomContext) {
            return located(new Exprs.Literal(Boolean.FALSE), a);
        }
        if (a instanceof EllipsisAtomContext) {
            return located(new Exprs.Literal(tsl.ops.T.ELLIPSIS), a);
        }
        if (a instanceof ParenAtomContext p) {
            Testlist_compContext tc = p.testlist_comp();
            if (tc == null) {
                return located(new Exprs.Display(Exprs.Display.Kind.TUPLE, new ExprNode[0], new boolean[0]), p);
            }
            if (tc.comp_for() != null) {
                return comprehension(Comprehension.Kind.LIST, (ParserRuleContext) tc.getChild(0), null, tc.comp_for(), p);
            }
            if (tc.getChildCount() == 1 && !(tc.getChild(0) instanceof Star_exprContext)) {
                return expr((ParserRuleContext) tc.getChild(0));
            }
            return display(Exprs.Display.Kind.TUPLE, p, tc.children);
        }
        if (a instanceof ListAtomContext l) {
            Testlist_compContext tc = l.testlist_comp();
            if (tc == null) {
                return display(Exprs.Display.Kind.LIST, l, null);
            }
            if (tc.comp_for() != null) {
                return comprehension(Comprehension.Kind.LIST, (ParserRuleContext) tc.getChild(0), null, tc.comp_for(), l);
            }
            return display(Exprs.Display.Kind.LIST, l, tc.children);
        }
        DictOrSetAtomContext d = (DictOrSetAtomContext) a;
        if (d.dictorsetmaker() == null) {
            return located(new Exprs.DictDisplay(new ExprNode[0], new ExprNode[0]), d);
        }
        if (d.dictorsetmaker() instanceof SetMakerContext sm) {
            if (sm.comp_for() != null) {
                return comprehension(Comprehension.Kind.SET, (ParserRuleContext) sm.getChild(0), null, sm.comp_for(), d);
            }
            return display(Exprs.Display.Kind.SET, d, sm.children);
        }
        DictMakerContext dm = (DictMakerContext) d.dictorsetmaker();
        if (dm.comp_for() != null) {
            Dict_itemContext item = dm.dict_item(0);
            return comprehension(Comprehension.Kind.DICT, item.test(0), item.test(1), dm.comp_for(), d);
        }
        List<ExprNode> keys = new ArrayList<>();
        List<ExprNode> values = new ArrayList<>();
        for (Dict_itemContext item : dm.dict_item()) {
            if (item.expr() != null) {
                keys.add(null);
                values.add(expr(item.expr()));
            } else {
                keys.add(expr(item.test(0)));
                values.add(expr(item.test(1)));
            }
        }
        return located(new Exprs.DictDisplay(keys.toArray(new ExprNode[0]), values.toArray(new ExprNode[0])), d);
    }

    private ExprNode comprehension(Comprehension.Kind kind, ParserRuleContext element, ParserRuleContext value, Comp_forContext first,
                                   ParserRuleContext whole) {
        List<Comprehension.Clause> clauses = new ArrayList<>();
        ParseTree c = first;
        // the first iterable is evaluated before the targets exist; the rest see the loop variables
        while (c != null) {
            if (c instanceof Comp_forContext f) {
                Targets.Target t = target(f.exprlist());
                clauses.add(new Comprehension.Clause(t, expr(f.or_test())));
                c = f.comp_iter() == null ? null : f.comp_iter().getChild(0);
            } else {
                Comp_ifContext i = (Comp_ifContext) c;
                clauses.add(new Comprehension.Clause(null, expr(i.test_nocond())));
                c = i.comp_iter() == null ? null : i.comp_iter().getChild(0);
            }
        }
        return located(new Comprehension(kind, clauses.toArray(new Comprehension.Clause[0]), expr(element),
                value == null ? null : expr(value)), whole);
    }

    private Object number(NumberAtomContext n) {
        String text = n.getText().replace("_", "");
        String lower = text.toLowerCase();
        if (lower.endsWith("j")) {
            throw error(n, "not supported yet: complex numbers");
        }
        if (lower.startsWith("0x")) {
            return normalize(new BigInteger(text.substring(2), 16));
        }
        if (lower.startsWith("0o")) {
            return normalize(new BigInteger(text.substring(2), 8));
        }
        if (lower.startsWith("0b")) {
            return normalize(new BigInteger(text.substring(2), 2));
        }
        if (lower.contains(".") || lower.contains("e")) {
            return Double.parseDouble(text);
        }
        return normalize(new BigInteger(text));
    }

    private static Object normalize(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    private ExprNode strings(StringAtomContext s) {
        List<String> literals = new ArrayList<>();
        List<ExprNode> values = new ArrayList<>();
        List<Character> convs = new ArrayList<>();
        List<String> specs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean anyF = false;
        for (TerminalNode tok : s.STRING()) {
            StringLiterals.Decoded d = StringLiterals.decode(tok.getText());
            if (!d.fstring()) {
                current.append(d.value());
                continue;
            }
            anyF = true;
            FStrings.parse(d.value(), d.raw(), current, literals, values, convs, specs, this, tok.getSymbol());
        }
        if (!anyF) {
            return located(new Exprs.Literal(current.toString()), s);
        }
        literals.add(current.toString());
        char[] cv = new char[convs.size()];
        for (int i = 0; i < cv.length; i++) {
            cv[i] = convs.get(i);
        }
        return located(new Exprs.FString(literals.toArray(new String[0]), values.toArray(new ExprNode[0]), cv,
                specs.toArray(new String[0])), s);
    }

    /** Builds an expression parsed from the text inside an f-string's braces. */
    ExprNode fstringExpression(String text, Token at) {
        TslParser p = Parsing.parser(Source.newBuilder(TslLanguage.ID, text, source.getName()).build(), at.getLine(),
                at.getCharPositionInLine());
        TestContext t = p.test();
        return expr(t);
    }

    static TslError syntaxError(String msg) {
        return TslError.of("SyntaxError", msg);
    }
}
