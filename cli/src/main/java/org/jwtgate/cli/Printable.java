package org.jwtgate.cli;

/**
 * A value from a token or the command line, as the CLI prints it on one line: control characters, line
 * separators, bidi controls and lone surrogates written as {@code \\uXXXX}. A signed claim such as {@code sub} may hold
 * them, and printed raw they would forge a line (a second "valid:" a script reads) or drive the terminal. So are
 * what prints as nothing or as another character: invisible ones (a zero-width space, a byte-order mark, a tag
 * character), spaces other than U+0020, U+0020 first or last, and U+FFFD. A claim ({@link #claim}) also has a
 * backslash before {@code u} and four hex digits written {@code \\u005c}, so that each printed form names one value:
 * {@code revoke-user --escaped} reads it back ({@link #decode}). The audit line escapes the same characters.
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
            boolean escape = isControl(c) || isInvisible(codePoint) || c == '\u200c' || c == '\u200d'
                    || c == REPLACEMENT_CHARACTER
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
     * A claim as {@code status} prints it: as {@link #of}, every space written {@code \\u0020} (a field of a line a
     * script splits at spaces: a sub {@code "alice iss=x"} would pass for alice), and a backslash before {@code u} and
     * four hex digits {@code \\u005c} (the text {@code CORP\\u0012345} is not the sub "CORP", U+0012 and "345", which
     * prints so). {@link #decode} gives the value back. Not for messages: those quote other text, already escaped.
     */
    static String claim(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length() + 16);
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || (c == '\\' && isEscape(text, i))) {
                // Neither splits a surrogate pair, and the pieces between hold no space for of() to escape.
                out.append(of(text.substring(from, i))).append(c == ' ' ? "\\u0020" : "\\u005c");
                from = i + 1;
            }
        }
        String printed = out.append(of(text.substring(from))).toString();
        // A sub shaped like a token (eyJhbGciOiJub25lIn0.x.y): printed so, revoke-user would refuse it as a token.
        return TokenInput.looksLikeToken(printed) ? printed.replace(".", "\\u002e") : printed;
    }

    /**
     * Whether an escape in {@code written} stands for a character {@code status} does not print raw (or a backslash, or
     * the dot of a value shaped like a token):
     * typed so, it is the printed form of another value than its text. In either case of hex digits.
     */
    private static boolean escapesAHiddenCharacter(String written) {
        for (int i = 0; i < written.length(); i++) {
            if (isEscape(written, i)) {
                String character = String.valueOf((char) Integer.parseInt(written.substring(i + 2, i + 6), 16));
                if (character.equals("\\") || character.equals(".") || !of(character).equals(character)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code written} with each {@code \\uXXXX} (hex in either case) read as that character, the rest as it is. */
    static String decode(String written) {
        StringBuilder value = new StringBuilder(written.length());
        for (int i = 0; i < written.length(); i++) {
            if (isEscape(written, i)) {
                value.append((char) Integer.parseInt(written.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                value.append(written.charAt(i));
            }
        }
        return value.toString();
    }

    /** A backslash, {@code u} and four hex digits at {@code i}. */
    private static boolean isEscape(String text, int i) {
        if (text.charAt(i) != '\\' || i + 6 > text.length() || text.charAt(i + 1) != 'u') {
            return false;
        }
        for (int j = i + 2; j < i + 6; j++) {
            if (Character.digit(text.charAt(j), 16) < 0 || text.charAt(j) > 'f') {
                return false;
            }
        }
        return true;
    }

    /**
     * What shows nothing: a format character (bidi controls, zero-width space, byte-order mark, tag characters), or
     * another of Unicode's default ignorables (the combining grapheme joiner, Hangul fillers, which count as letters,
     * variation selectors, Mongolian ones, unassigned ones), or the Braille blank. Not the joiners U+200C and U+200D,
     * which belong to Persian and Indic names and to emoji: typed, they are taken; printed, {@link #of} escapes them,
     * as an "admin" and U+200D would read as admin.
     */
    private static boolean isInvisible(int codePoint) {
        if (codePoint == '\u200c' || codePoint == '\u200d') {
            return false;
        }
        return Character.getType(codePoint) == Character.FORMAT || codePoint == 0x034f || codePoint == 0x115f
                || codePoint == 0x1160 || codePoint == 0x17b4 || codePoint == 0x17b5
                || (codePoint >= 0x180b && codePoint <= 0x180f) || codePoint == 0x2800 || codePoint == 0x3164
                || (codePoint >= 0xfe00 && codePoint <= 0xfe0f) || codePoint == 0xffa0 || codePoint == 0x2065
                || (codePoint >= 0xfff0 && codePoint <= 0xfff8) || (codePoint >= 0xe0000 && codePoint <= 0xe0fff);
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
     * A subject as typed: a surrounding space, a control or an invisible character would name another user than meant.
     * With {@code escaped} ({@code --escaped}), as {@code status} prints it: {@code mallory\\u200b} is "mallory" and
     * U+200B.
     */
    static String requireExactSubject(String option, String subject, boolean escaped) {
        return requireExact("subject " + option, subject, "the user's tokens", escaped);
    }

    /** A jti as typed: with a space copied from a log line it names another token, and the revocation misses. */
    static String requireExactTokenId(String option, String tokenId, boolean escaped) {
        return requireExact("token id " + option, tokenId, "the token", escaped);
    }

    /**
     * An {@code --actor} or {@code --reason} as the JVM read it, or null when not given: refused when it holds U+FFFD,
     * bytes this JVM's locale could not decode (a name written "Ömer" from cron): the audit trail would not name who
     * revoked, or why.
     */
    static String requireDecoded(String option, String written) {
        int undecoded = written == null ? -1 : written.indexOf(REPLACEMENT_CHARACTER);
        if (undecoded >= 0) {
            throw CliException.usage("The " + option + " holds U+FFFD at position " + (undecoded + 1) + ", which stands"
                    + " for bytes this JVM's locale could not decode (no LANG, as under cron or systemd?); the audit trail"
                    + " would not say it as written. Run it with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
        }
        return written;
    }

    private static String requireExact(String what, String written, String meant, boolean escaped) {
        // What the JVM reads for argument bytes its locale cannot decode: `revoke-user josé` from cron (no LANG, so
        // ASCII) arrives as "jos\uFFFD\uFFFD", and revoking that name would leave josé's tokens valid, exit 0.
        int undecoded = written.indexOf(REPLACEMENT_CHARACTER);
        if (undecoded >= 0) {
            throw CliException.usage("The " + what + " holds U+FFFD at position " + (undecoded + 1) + ", which stands for"
                    + " bytes this JVM's locale could not decode (no LANG, as under cron or systemd?); a revocation by it"
                    + " would not match " + meant + ". Run it with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
        }
        if (escaped) {
            // As status prints it: what it escapes (a space too), written raw, is a copy gone wrong.
            if (!of(written).equals(written) || written.indexOf(' ') >= 0) {
                throw CliException.usage("With --escaped, the " + what + " is written as status prints it, each character"
                        + " it escapes as \\uXXXX: [" + of(written) + "]");
            }
            String value = decode(written);
            // Escapes of white space alone: blank once read, no token's value; the revocation API threw (exit 1).
            if (value.isBlank()) {
                throw CliException.usage("The " + what + " [" + written + "] is blank once its \\uXXXX are read, which"
                        + " no token has; nothing was done");
            }
            return value;
        }
        String asPrinted = "; if it is theirs, give the " + what.substring(0, what.indexOf(' ')) + " as status prints it,"
                + " with --escaped: [" + claim(written) + "]";
        // A byte-order mark or a zero-width space, which a file or a copy carries unseen: named by code and position,
        // as printing the value would show nothing. U+200C and U+200D join letters in Persian and Indic names.
        // By code point: a tag character (U+E0000-U+E007F) is two chars, each alone only a surrogate.
        for (int i = 0; i < written.length(); i += Character.charCount(written.codePointAt(i))) {
            int c = written.codePointAt(i);
            if (isInvisible(c)) {
                throw CliException.usage("The " + what + " holds an invisible character " + String.format("U+%04X", c)
                        + " at position " + (i + 1) + "; a revocation by it would not match " + meant + asPrinted);
            }
        }
        boolean edgeSpace = !written.isEmpty() && (isSpace(written.charAt(0)) || isSpace(written.charAt(written.length() - 1)));
        if (edgeSpace || hasControl(written)) {
            throw CliException.usage("The " + what + " [" + of(written) + "] has surrounding spaces or a control character;"
                    + " a revocation by it would not match " + meant + asPrinted);
        }
        // `revoke-user "$SUB"` of a sub status printed escaped: the text of the escape is another user, revoked silently.
        if (escapesAHiddenCharacter(written)) {
            throw CliException.usage("The " + what + " [" + written + "] is how status prints another value, one holding "
                    + "the characters its \\uXXXX stand for: to revoke that one, add --escaped; if the backslash is part of"
                    + " it, add --escaped and write it as status does: [" + claim(written) + "]");
        }
        return written;
    }

    /** A control character or a line separator: printed raw, it would start a line or drive the terminal. */
    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
    }

    /** A no-break space too, which strip() leaves. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    /** What a line or a terminal takes for something else: controls, line separators, bidi controls, lone surrogates. */
    private static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c) || isInvisible(c) || isLoneSurrogate(text, i)) {
                return true;
            }
        }
        return false;
    }
}
