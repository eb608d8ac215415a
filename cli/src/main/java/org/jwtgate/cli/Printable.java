package org.jwtgate.cli;

/**
 * A value from a token or the command line, as the CLI prints it on one line: control characters, line
 * separators and bidi controls written as {@code \\uXXXX}. A signed claim such as {@code sub} may hold
 * them, and printed raw they would forge a line (a second "valid:" a script reads) or drive the terminal.
 * The audit line escapes them the same way.
 */
final class Printable {

    private Printable() {
    }

    static String of(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escape = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                    || c == '\u200e' || c == '\u200f' || c == '\u061c';
            if (escape && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escape) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** A subject as typed: surrounding spaces or a control character would name another user than meant. */
    static String requireExactSubject(String option, String subject) {
        if (!subject.equals(subject.strip()) || !of(subject).equals(subject)) {
            throw CliException.usage("The subject " + option + " [" + of(subject) + "] has surrounding spaces or a"
                    + " control character; a revocation by it would not match the user's tokens");
        }
        return subject;
    }
}
