package org.jwtgate.cli;

/**
 * A value from a token or the command line, as the CLI prints it on one line: control characters, line
 * separators, bidi controls and lone surrogates written as {@code \\uXXXX}. A signed claim such as {@code sub} may hold
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
                    || c == '\u200e' || c == '\u200f' || c == '\u061c' || isLoneSurrogate(text, i);
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

    /** Half of no pair: UTF-8 output writes it as {@code ?}, which names another user ({@code sub} "?"). */
    private static boolean isLoneSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }

    /**
     * An argument the operator typed, as an error message quotes it: {@code [value]}, escaped, unless it looks like a
     * token ({@code --bits "$TOKEN"}), which is never printed.
     */
    static String argument(String value) {
        return TokenInput.looksLikeToken(value) ? NOT_SHOWN : "[" + of(value) + "]";
    }

    /** U+FFFD, which a decoder puts in place of bytes it cannot read. */
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    /** What a message says in place of an argument that looks like a token. */
    static final String NOT_SHOWN = "(not shown: it looks like a token)";

    /** A subject as typed: surrounding spaces or a control character would name another user than meant. */
    static String requireExactSubject(String option, String subject) {
        return requireExact("subject " + option, subject, "the user's tokens");
    }

    /** A jti as typed: with a space copied from a log line it names another token, and the revocation misses. */
    static String requireExactTokenId(String option, String tokenId) {
        return requireExact("token id " + option, tokenId, "the token");
    }

    private static String requireExact(String what, String value, String meant) {
        if (!value.equals(value.strip()) || !of(value).equals(value)) {
            throw CliException.usage("The " + what + " [" + of(value) + "] has surrounding spaces or a"
                    + " control character; a revocation by it would not match " + meant);
        }
        // What the JVM reads for argument bytes its locale cannot decode: `revoke-user josé` from cron (no LANG, so
        // ASCII) arrives as "jos\uFFFD\uFFFD", and revoking that name would leave josé's tokens valid, exit 0.
        int undecoded = value.indexOf(REPLACEMENT_CHARACTER);
        if (undecoded >= 0) {
            throw CliException.usage("The " + what + " holds U+FFFD at position " + (undecoded + 1) + ", which stands for"
                    + " bytes this JVM's locale could not decode (no LANG, as under cron or systemd?); a revocation by it"
                    + " would not match " + meant + ". Run it with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
        }
        // A byte-order mark or a zero-width space, which a file or a copy carries unseen: named by code and position,
        // as printing the value would show nothing. U+200C and U+200D join letters in Persian and Indic names.
        // By code point: a tag character (U+E0000-U+E007F) is two chars, each alone only a surrogate.
        for (int i = 0; i < value.length(); i += Character.charCount(value.codePointAt(i))) {
            int c = value.codePointAt(i);
            if (Character.getType(c) == Character.FORMAT && c != '\u200c' && c != '\u200d') {
                throw CliException.usage("The " + what + " holds an invisible character " + String.format("U+%04X", c)
                        + " at position " + (i + 1) + "; a revocation by it would not match " + meant);
            }
        }
        return value;
    }
}
