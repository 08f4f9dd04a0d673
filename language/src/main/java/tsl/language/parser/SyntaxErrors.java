package tsl.language.parser;

import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/** Turns the first ANTLR syntax error into a {@link Failure} with Python-style wording. */
final class SyntaxErrors extends BaseErrorListener {
    private final int lineOffset;
    private final int columnOffset;

    SyntaxErrors(int lineOffset, int columnOffset) {
        this.lineOffset = lineOffset;
        this.columnOffset = columnOffset;
    }

    /** A syntax error at a 1-based line and column. */
    static final class Failure extends RuntimeException {
        final int line;
        final int column;

        Failure(int line, int column, String message) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
        }
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int charPositionInLine, String msg,
                            RecognitionException e) {
        String text = msg;
        if (offending instanceof Token t) {
            if (t.getType() == tsl.grammar.TslParser.INDENT) {
                text = "unexpected indent";
            } else if (t.getType() == tsl.grammar.TslParser.DEDENT) {
                text = "unindent does not match any outer indentation level";
            } else if (t.getType() == Token.EOF) {
                text = "unexpected EOF while parsing";
            } else if (t.getType() == tsl.grammar.TslParser.ERROR_CHAR) {
                text = "invalid character '" + t.getText() + "'";
            } else {
                text = "invalid syntax (" + msg + ")";
            }
        } else if (msg.startsWith("token recognition error")) {
            text = "invalid syntax (" + msg + ")";
        } else if (msg.contains("unindent")) {
            text = msg;
        }
        int c = (line == 1 ? columnOffset : 0) + charPositionInLine + 1;
        throw new Failure(lineOffset > 0 ? lineOffset + line - 1 : line, c, text);
    }
}
