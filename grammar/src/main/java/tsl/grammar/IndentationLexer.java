package tsl.grammar;

import java.util.ArrayDeque;
import java.util.Deque;

import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;

/**
 * Python's indentation rules over TslLexer's raw tokens: emits NEWLINE at the end of a
 * logical line, INDENT/DEDENT when the indentation changes, and drops line breaks inside
 * brackets and on blank or comment-only lines. At end of input it closes the last line and
 * every open block, so the parser always sees balanced INDENT/DEDENT pairs.
 */
final class IndentationLexer {
    private static final int TAB_SIZE = 8;

    private final TslLexer lexer;
    private final Deque<Token> pending = new ArrayDeque<>();
    private final Deque<Integer> indents = new ArrayDeque<>();
    private Token lookahead;
    private int bracketDepth;
    /** True until the first real token: the parser must not see a leading NEWLINE. */
    private boolean atLineStart = true;

    IndentationLexer(TslLexer lexer) {
        this.lexer = lexer;
        indents.push(0);
    }

    Token nextToken() {
        while (pending.isEmpty()) {
            fill();
        }
        return pending.poll();
    }

    private Token raw() {
        if (lookahead != null) {
            Token t = lookahead;
            lookahead = null;
            return t;
        }
        return lexer.rawNextToken();
    }

    private Token peekRaw() {
        if (lookahead == null) {
            lookahead = lexer.rawNextToken();
        }
        return lookahead;
    }

    private void fill() {
        Token t = raw();
        switch (t.getType()) {
            case TslLexer.OPEN_PAREN, TslLexer.OPEN_BRACKET, TslLexer.OPEN_BRACE -> {
                bracketDepth++;
                emit(t);
            }
            case TslLexer.CLOSE_PAREN, TslLexer.CLOSE_BRACKET, TslLexer.CLOSE_BRACE -> {
                if (bracketDepth > 0) {
                    bracketDepth--;
                }
                emit(t);
            }
            case TslLexer.NEWLINE -> onNewline(t);
            case Token.EOF -> onEof(t);
            default -> emit(t);
        }
    }

    private void emit(Token t) {
        pending.add(t);
        atLineStart = false;
    }

    private void onNewline(Token t) {
        if (bracketDepth > 0) {
            return; // implicit line joining
        }
        int next = peekRaw().getType();
        if (next == TslLexer.NEWLINE) {
            return; // blank or comment-only line: the next NEWLINE carries the indentation
        }
        if (next == Token.EOF) {
            return; // onEof closes the line
        }
        if (!atLineStart) {
            pending.add(synthetic(TslParser.NEWLINE, "\n", t));
        }
        int width = indentationWidth(t.getText());
        if (width > indents.peek()) {
            indents.push(width);
            pending.add(synthetic(TslParser.INDENT, "<INDENT>", t));
        } else {
            while (width < indents.peek()) {
                indents.pop();
                pending.add(synthetic(TslParser.DEDENT, "<DEDENT>", t));
            }
            if (width != indents.peek()) {
                lexer.getErrorListenerDispatch().syntaxError(lexer, null, t.getLine() + 1, width,
                        "unindent does not match any outer indentation level", null);
            }
        }
        atLineStart = true;
        if (pending.isEmpty()) {
            // first line of the file after blank lines: nothing to say yet
            fill();
        }
    }

    private void onEof(Token eof) {
        if (!atLineStart) {
            pending.add(synthetic(TslParser.NEWLINE, "\n", eof));
        }
        while (indents.size() > 1) {
            indents.pop();
            pending.add(synthetic(TslParser.DEDENT, "<DEDENT>", eof));
        }
        atLineStart = true;
        pending.add(eof);
    }

    private static int indentationWidth(String newlineText) {
        int width = 0;
        for (int i = 0; i < newlineText.length(); i++) {
            char c = newlineText.charAt(i);
            if (c == ' ') {
                width++;
            } else if (c == '\t') {
                width = (width / TAB_SIZE + 1) * TAB_SIZE;
            } else if (c == '\n' || c == '\r' || c == '\f') {
                width = 0;
            }
        }
        return width;
    }

    /** A token that points at the line break it replaces, for error positions. */
    private static Token synthetic(int type, String text, Token at) {
        CommonToken token = new CommonToken(at);
        token.setType(type);
        token.setText(text);
        token.setStopIndex(token.getStartIndex() - 1 < 0 ? token.getStartIndex() : token.getStartIndex());
        return token;
    }
}
