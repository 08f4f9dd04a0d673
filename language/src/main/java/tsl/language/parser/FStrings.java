package tsl.language.parser;

import java.util.List;

import org.antlr.v4.runtime.Token;

import tsl.language.nodes.ExprNode;

/** Splits an f-string's text into literal parts and {expression!conversion:spec} fields. */
final class FStrings {
    private FStrings() {}

    static void parse(String text, boolean raw, StringBuilder current, List<String> literals, List<ExprNode> values,
                      List<Character> convs, List<String> specs, AstBuilder builder, Token at) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '{') {
                    current.append('{');
                    i += 2;
                    continue;
                }
                int depth = 1;
                int j = i + 1;
                int colon = -1;
                int bang = -1;
                char quote = 0;
                while (j < text.length() && depth > 0) {
                    char d = text.charAt(j);
                    if (quote != 0) {
                        if (d == quote) {
                            quote = 0;
                        }
                    } else if (d == '\'' || d == '"') {
                        quote = d;
                    } else if (d == '{' || d == '[' || d == '(') {
                        depth++;
                    } else if (d == '}' || d == ']' || d == ')') {
                        depth--;
                    } else if (depth == 1 && d == ':' && colon < 0) {
                        colon = j;
                    } else if (depth == 1 && d == '!' && colon < 0 && j + 1 < text.length() && text.charAt(j + 1) != '=') {
                        bang = j;
                    }
                    j++;
                }
                if (depth != 0) {
                    throw new SyntaxErrors.Failure(at.getLine(), at.getCharPositionInLine() + 1, "f-string: expecting '}'");
                }
                int end = j - 1;
                int exprEnd = bang >= 0 ? bang : colon >= 0 ? colon : end;
                String expr = text.substring(i + 1, exprEnd).strip();
                if (expr.isEmpty()) {
                    throw new SyntaxErrors.Failure(at.getLine(), at.getCharPositionInLine() + 1, "f-string: empty expression not allowed");
                }
                boolean selfDoc = expr.endsWith("=") && !expr.endsWith("==");
                if (selfDoc) {
                    expr = expr.substring(0, expr.length() - 1).strip();
                    current.append(text, i + 1, exprEnd);
                }
                char conv = bang >= 0 ? text.charAt(bang + 1) : (selfDoc && colon < 0 ? 'r' : 0);
                String spec = colon >= 0 ? text.substring(colon + 1, end) : "";
                literals.add(current.toString());
                current.setLength(0);
                values.add(builder.fstringExpression(expr, at));
                convs.add(conv);
                specs.add(spec);
                i = j;
            } else if (c == '}') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '}') {
                    current.append('}');
                    i += 2;
                    continue;
                }
                throw new SyntaxErrors.Failure(at.getLine(), at.getCharPositionInLine() + 1, "f-string: single '}' is not allowed");
            } else {
                current.append(c);
                i++;
            }
        }
    }
}
