package org.jwtgate.cli;

/**
 * A value from a token or the command line, as the CLI prints it on one line: control characters, line
 * separators, bidi controls and lone surrogates written as {@code \\uXXXX}. A signed claim such as {@code sub} may hold
 * them, and printed raw they would forge a line (a second "valid:" a script reads) or drive the terminal. So are
 * what prints as nothing or as another character: invisible ones (a zero-width space, a byte-order mark, a tag
 * character), spaces other than U+0020, U+0020 first or last, and U+FFFD. {@link #parse} reads a printed form back, so
 * an operator can revoke the user {@code status} printed as {@code mallory\\u200b}. (A backslash is printed as it is:
 * {@code DOMAIN\\user}; a sub holding the text of such an escape is printed as the character's sub would be.)
 * The audit line escapes control characters, line separators and bidi controls the same way.
 */
final class Printable {

    private Printable() {
    }

    static String of(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int codePoint = text.codePointAt(i);
            boolean escape = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
                    || isInvisible(codePoint) || c == REPLACEMENT_CHARACTER
                    || (Character.getType(c) == Character.SPACE_SEPARATOR && c != ' ')
                    || (c == ' ' && (i == 0 || i == text.length() - 1))
                    || isLoneSurrogate(text, i);
            int length = escape ? Character.charCount(codePoint) : 1;
            if (escape && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escape) {
                for (int j = i; j < i + length; j++) {
                    out.append(String.format("\\u%04x", (int) text.charAt(j)));
                }
                i += length - 1;
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * The value {@code written} is the printed form of: {@code mallory\\u200b} is "mallory" and U+200B, {@code a\\u00e9}
     * (an escape {@link #of} does not write) and {@code DOMAIN\\user} are themselves; null when a character {@link #of}
     * escapes is written raw.
     */
    static String parse(String written) {
        StringBuilder value = new StringBuilder(written.length());
        for (int i = 0; i < written.length(); i++) {
            if (written.charAt(i) == '\\' && looksEscaped(written, i)) {
                value.append((char) Integer.parseInt(written.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                value.append(written.charAt(i));
            }
        }
        String parsed = value.toString();
        if (of(parsed).equals(written)) {
            return parsed;
        }
        return of(written).equals(written) ? written : null;
    }

    /** {@code \\u} and four lower-case hex digits at {@code i}, as {@link #of} writes an escape. */
    private static boolean looksEscaped(String text, int i) {
        if (i + 6 > text.length() || text.charAt(i + 1) != 'u') {
            return false;
        }
        for (int j = i + 2; j < i + 6; j++) {
            char c = text.charAt(j);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A format character (bidi controls, zero-width space, byte-order mark, tag characters): it shows nothing. Not the
     * joiners U+200C and U+200D, which belong to Persian and Indic names and to emoji.
     */
    private static boolean isInvisible(int codePoint) {
        return Character.getType(codePoint) == Character.FORMAT && codePoint != '\u200c' && codePoint != '\u200d';
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

    /**
     * A subject as typed, or as {@code status} prints it ({@code mallory\\u200b}): a raw surrounding space, control or
     * invisible character would name another user than meant.
     */
    static String requireExactSubject(String option, String subject) {
        return requireExact("subject " + option, subject, "the user's tokens");
    }

    /** A jti as typed: with a space copied from a log line it names another token, and the revocation misses. */
    static String requireExactTokenId(String option, String tokenId) {
        return requireExact("token id " + option, tokenId, "the token");
    }

    private static String requireExact(String what, String written, String meant) {
        // What the JVM reads for argument bytes its locale cannot decode: `revoke-user josé` from cron (no LANG, so
        // ASCII) arrives as "jos\uFFFD\uFFFD", and revoking that name would leave josé's tokens valid, exit 0.
        int undecoded = written.indexOf(REPLACEMENT_CHARACTER);
        if (undecoded >= 0) {
            throw CliException.usage("The " + what + " holds U+FFFD at position " + (undecoded + 1) + ", which stands for"
                    + " bytes this JVM's locale could not decode (no LANG, as under cron or systemd?); a revocation by it"
                    + " would not match " + meant + ". Run it with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
        }
        String value = parse(written);
        if (value != null) {
            return value;
        }
        String unlessTheirs = "; a revocation by it would not match " + meant + ", unless it is written there so: then give"
                + " it as status prints it, [" + of(written) + "]";
        // A byte-order mark or a zero-width space, which a file or a copy carries unseen: named by code and position,
        // as printing the value would show nothing. By code point: a tag character (U+E0000-U+E007F) is two chars.
        for (int i = 0; i < written.length(); i += Character.charCount(written.codePointAt(i))) {
            int c = written.codePointAt(i);
            if (isInvisible(c)) {
                throw CliException.usage("The " + what + " holds an invisible character " + String.format("U+%04X", c)
                        + " at position " + (i + 1) + unlessTheirs);
            }
        }
        throw CliException.usage("The " + what + " [" + of(written) + "] has surrounding spaces, a control character"
                + " or a space other than U+0020" + unlessTheirs);
    }
}
