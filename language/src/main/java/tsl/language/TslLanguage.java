package tsl.language;

import java.util.ArrayList;
import java.util.List;

import org.antlr.v4.runtime.tree.ParseTree;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.source.Source;

import tsl.grammar.TslParser;
import tsl.language.parser.AstBuilder;
import tsl.language.parser.Parsing;
import tsl.language.runtime.PyModule;

/** The Truffle language {@code tsl}: Python-style syntax, Theano's tensor vocabulary. */
@TruffleLanguage.Registration(id = TslLanguage.ID, name = "TSL", version = TslLanguage.VERSION,
        defaultMimeType = TslLanguage.MIME, characterMimeTypes = TslLanguage.MIME,
        fileTypeDetectors = TslFileTypeDetector.class)
public final class TslLanguage extends TruffleLanguage<TslContext> {
    public static final String ID = "tsl";
    public static final String MIME = "application/x-tsl";
    public static final String VERSION = "0.1.0";

    @Override
    protected TslContext createContext(Env env) {
        return new TslContext(this, env);
    }

    @Override
    protected CallTarget parse(ParsingRequest request) {
        TslContext ctx = TslContext.get(null);
        return parseModule(request.getSource(), ctx.mainModule(), ctx);
    }

    /** Parses a module's source into a call target that runs it with {@code globals} as its namespace. */
    public CallTarget parseModule(Source source, PyModule globals, TslContext ctx) {
        TslParser.File_inputContext tree = Parsing.parseFile(source);
        List<ParseTree> statements = new ArrayList<>();
        for (int i = 0; i < tree.getChildCount(); i++) {
            ParseTree c = tree.getChild(i);
            if (c instanceof TslParser.StmtContext) {
                statements.add(c);
            }
        }
        return new AstBuilder(this, source, globals, ctx.builtins()).buildModule(tree, statements, "<module>");
    }
}
