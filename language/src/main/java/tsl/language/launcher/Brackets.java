package tsl.language.launcher;

/** Whether typed code stops inside a bracket or a triple-quoted string (the prompt then asks for more). */
final class Brackets {
    private Brackets() {}

    static boolean unclosed(String code) {
        int depth = 0;
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (c == '#') {
                while (i < n && code.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '\'' || c == '"') {
                boolean triple = i + 2 < n && code.charAt(i + 1) == c && code.charAt(i + 2) == c;
                int end = closing(code, i + (triple ? 3 : 1), c, triple);
                if (end < 0) {
                    return triple;           // an open '''...: more lines; an open '...: a syntax error
                }
                i = end;
                continue;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            i++;
        }
        return depth > 0;
    }

    /** The index after the closing quote, or -1 when the string is not closed. */
    private static int closing(String code, int from, char quote, boolean triple) {
        for (int i = from; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\\') {
                i++;
            } else if (!triple && c == '\n') {
                return -1;
            } else if (c == quote && (!triple || (i + 2 < code.length() && code.charAt(i + 1) == quote && code.charAt(i + 2) == quote))) {
                return i + (triple ? 3 : 1);
            }
        }
        return -1;
    }
}
