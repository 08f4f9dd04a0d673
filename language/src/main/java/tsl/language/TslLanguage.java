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
import com.oracle.truffle.api.Option;
import org.graalvm.options.OptionCategory;
import org.graalvm.options.OptionDescriptors;
import org.graalvm.options.OptionKey;
import org.graalvm.options.OptionStability;
import org.graalvm.options.OptionValues;

/** The Truffle language {@code tsl}: Python-style syntax, Theano's tensor vocabulary. */
@TruffleLanguage.Registration(id = TslLanguage.ID, name = "TSL", version = TslLanguage.VERSION,
        defaultMimeType = TslLanguage.MIME, characterMimeTypes = {TslLanguage.MIME, TslLanguage.PROMPT_MIME},
        fileTypeDetectors = TslFileTypeDetector.class, contextPolicy = TruffleLanguage.ContextPolicy.SHARED)
public final class TslLanguage extends TruffleLanguage<TslContext> {
    public static final String ID = "tsl";
    public static final String MIME = "application/x-tsl";
    /**
     * Code typed at a prompt: like Python's interactive mode, a final expression's value is
     * echoed with repr() (and None is not). Not Truffle's own "interactive" source flag, whose
     * echo would print None and Java's number formats.
     */
    public static final String PROMPT_MIME = "application/x-tsl-prompt";
    public static final String VERSION = "0.1.0";

    @Option(help = "Theano-style configuration flags, as in TSL_FLAGS: device=cpu,floatX=float32,mode=FAST_RUN "
            + "(the configuration is JVM-wide).", category = OptionCategory.USER, stability = OptionStability.STABLE)
    static final OptionKey<String> Flags = new OptionKey<>("");

    @Override
    protected OptionDescriptors getOptionDescriptors() {
        return new TslLanguageOptionDescriptors();
    }

    @Override
    protected boolean areOptionsCompatible(OptionValues first, OptionValues second) {
        return first.get(Flags).equals(second.get(Flags));
    }

    @Override
    protected TslContext createContext(Env env) {
        String flags = env.getOptions().get(Flags);
        if (!flags.isEmpty()) {
            try {
                tsl.compile.Config.apply(flags);
            } catch (tsl.graph.TslException e) {
                throw new IllegalArgumentException("tsl.Flags: " + e.getMessage(), e);
            }
        }
        // the native linker's process-wide setup runs while the script is parsed and starts, not in its first function()
        tsl.compile.Mode.warmUpDefaultLinker();
        return new TslContext(this, env);
    }

    /** Code is shared by every context of an engine (a parsed Source is reused), so it reads globals through the running context. */
    @Override
    protected CallTarget parse(ParsingRequest request) {
        PARSES.incrementAndGet();
        return parseModule(request.getSource(), "__main__");
    }

    private static final java.util.concurrent.atomic.AtomicLong PARSES = new java.util.concurrent.atomic.AtomicLong();

    /** How many sources the polyglot engines of this JVM have parsed (tests check that cached code is reused). */
    public static long parseCount() {
        return PARSES.get();
    }

    @Override
    protected Object getScope(TslContext context) {
        return new tsl.language.interop.ScopeObject(context.mainModule());
    }

    /** Parses a module's source into a call target that runs it in the namespace of module {@code module}. */
    public CallTarget parseModule(Source source, String module) {
        TslParser.File_inputContext tree = Parsing.parseFile(source);
        List<ParseTree> statements = new ArrayList<>();
        for (int i = 0; i < tree.getChildCount(); i++) {
            ParseTree c = tree.getChild(i);
            if (c instanceof TslParser.StmtContext) {
                statements.add(c);
            }
        }
        return new AstBuilder(this, source, module).buildModule(tree, statements, "<module>");
    }
}
