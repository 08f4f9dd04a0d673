package tsl.language.parser;

/** Decodes Python string literal tokens: prefixes, quotes and escape sequences. */
final class StringLiterals {
    private StringLiterals() {}

    record Decoded(String value, boolean fstring, boolean bytes, boolean raw) {}

    static Decoded decode(String token) {
        int i = 0;
        boolean raw = false;
        boolean f = false;
        boolean b = false;
        while (i < token.length() && token.charAt(i) != '\'' && token.charAt(i) != '"') {
            char c = Character.toLowerCase(token.charAt(i));
            raw |= c == 'r';
            f |= c == 'f';
            b |= c == 'b';
            i++;
        }
        String body = token.substring(i);
        int q = body.startsWith("'''") || body.startsWith("\"\"\"") ? 3 : 1;
        String inner = body.substring(q, body.length() - q);
        return new Decoded(raw ? inner : unescape(inner), f, b, raw);
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case '\n' -> { }
                case '\\' -> sb.append('\\');
                case '\'' -> sb.append('\'');
                case '"' -> sb.append('"');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case 'x' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'U' -> {
                    sb.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 9), 16));
                    i += 8;
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int j = i;
                    while (j < s.length() && j < i + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
                        j++;
                    }
                    sb.append((char) Integer.parseInt(s.substring(i, j), 8));
                    i = j - 1;
                }
                default -> sb.append('\\').append(n);
            }
        }
        return sb.toString();
    }
}
