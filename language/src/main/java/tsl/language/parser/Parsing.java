package tsl.language.parser;

import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.atn.PredictionMode;

import com.oracle.truffle.api.source.Source;

import tsl.grammar.TslLexer;
import tsl.grammar.TslParser;

/** Creates ANTLR lexers and parsers for TSL sources, reporting the first syntax error as a Failure. */
public final class Parsing {
    private Parsing() {}

    /** Parses a whole file; a syntax error becomes a Python SyntaxError located in the source. */
    public static TslParser.File_inputContext parseFile(Source source) {
        try {
            return parser(source, 0, 0).file_input();
        } catch (SyntaxErrors.Failure f) {
            throw located(source, f);
        }
    }

    static tsl.language.runtime.TslError located(Source source, SyntaxErrors.Failure f) {
        tsl.language.runtime.TslError e = tsl.language.runtime.TslError.of("SyntaxError", f.getMessage());
        int line = Math.max(1, Math.min(f.line, Math.max(1, source.getLineCount())));
        if (source.getLineCount() == 0) {
            e.setLocationText(source.getName() + ":" + f.line + ":" + f.column);
            return e;
        }
        int col = Math.max(1, Math.min(f.column, Math.max(1, source.getLineLength(line) + 1)));
        int idx = source.getLineStartOffset(line) + col - 1;
        e.at(source.createSection(Math.min(idx, source.getLength()), 0));
        return e;
    }

    static TslParser parser(Source source, int lineOffset, int columnOffset) {
        TslLexer lexer = new TslLexer(CharStreams.fromString(source.getCharacters().toString(), source.getName()));
        SyntaxErrors errors = new SyntaxErrors(lineOffset, columnOffset);
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        TslParser parser = new TslParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        return parser;
    }
}
