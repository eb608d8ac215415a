package org.jwtgate.config;

/**
 * Finds secrets written as {@code jwt.secret} takes them, {@code base64:} and base64, in a message or a value, so that
 * {@link SecretKeys#hidden} masks them and no other setting takes one. {@link SecretKeys#decode} ignores whitespace,
 * so a secret may come wrapped ({@code openssl rand -base64 64} breaks its lines at 64 characters, a {@code web.xml}
 * value may be split by hand) or grouped by spaces; the words of a sentence around it are not part of it. A secret is
 * {@code base64:} in any case, then runs of base64 characters:
 * <ul>
 *   <li>the first right after the colon, or after whitespace (prose says "base64: and its base64": after spaces
 *       only, the first run must be long enough for a secret alone, or open groups, below);</li>
 *   <li>after a line break (raw, or escaped as messages write it: a backslash and {@code n}, or {@code u000a}), any
 *       run that a line break, a closing character or the end of the text follows: a wrapped value;</li>
 *   <li>after spaces, runs of the first run's length, at least 4 (groups), and a shorter last one that a closing
 *       character or the end of the text follows;</li>
 *   <li>never after a run ending in padding ({@code =}), nor a run that is another {@code base64:};</li>
 *   <li>masked when it holds at least {@value #MIN_BASE64_CHARACTERS} base64 characters (96 bits).</li>
 * </ul>
 * A closing character ends a quoted value: {@code ] ) } , ; " '}.
 */
final class WrittenSecrets {

    static final int MIN_BASE64_CHARACTERS = 16;
    private static final int MIN_GROUP = 4;
    private static final String PREFIX = "base64:";
    private static final String MASKED = "base64:****";
    private static final String CLOSING = "])},;\"'";

    private WrittenSecrets() {
    }

    static String masked(String text) {
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (true) {
            int prefix = indexOfPrefix(text, from);
            if (prefix < 0) {
                break;
            }
            int end = secretEnd(text, prefix + PREFIX.length());
            if (end < 0) {
                from = prefix + PREFIX.length();
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, prefix).append(MASKED);
            copied = end;
            from = end;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** Where the secret whose value starts at {@code start} ends, or -1 when none starts there. */
    private static int secretEnd(String text, int start) {
        int separator = separatorLength(text, start);
        boolean afterSpacesOnly = separator > 0 && !holdsLineBreak(text, start, separator);
        int first = start + separator;
        int group = runLength(text, first);
        if (group == 0 || isPrefixAt(text, first)) {
            return -1;
        }
        int count = group;
        int end = first + group;
        boolean grouped = false;
        boolean last = false;
        while (!last && text.charAt(end - 1) != '=') {
            int gap = separatorLength(text, end);
            int next = end + gap;
            int run = gap == 0 ? 0 : runLength(text, next);
            if (run == 0 || isPrefixAt(text, next)) {
                break;
            }
            int after = next + run;
            if (holdsLineBreak(text, end, gap)) {
                if (!(startsLineBreak(text, after) || closesAt(text, after))) {
                    break;
                }
            } else if (group < MIN_GROUP || (run != group && !(run < group && closesAt(text, after)))) {
                break;
            } else {
                grouped = true;
                last = run < group;
            }
            count += run;
            end = after;
        }
        if (afterSpacesOnly && group < MIN_BASE64_CHARACTERS && !(grouped && closesAt(text, end))) {
            return -1;
        }
        return count >= MIN_BASE64_CHARACTERS ? end : -1;
    }

    /** The end of the text, or a closing character, after any whitespace. */
    private static boolean closesAt(String text, int at) {
        int i = at + separatorLength(text, at);
        return i >= text.length() || CLOSING.indexOf(text.charAt(i)) >= 0;
    }

    private static boolean startsLineBreak(String text, int at) {
        int length = separatorLength(text, at);
        return length > 0 && holdsLineBreak(text, at, length);
    }

    private static int indexOfPrefix(String text, int from) {
        for (int i = from; i <= text.length() - PREFIX.length(); i++) {
            if (isPrefixAt(text, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isPrefixAt(String text, int at) {
        return text.regionMatches(true, at, PREFIX, 0, PREFIX.length());
    }

    private static int runLength(String text, int at) {
        int i = at;
        while (i < text.length() && isBase64(text.charAt(i))) {
            i++;
        }
        return i - at;
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                || c == '_' || c == '-' || c == '=';
    }

    /** Whitespace as {@link SecretKeys#decode} strips it, and the escapes messages write it as: how many characters. */
    private static int separatorLength(String text, int at) {
        int i = at;
        while (i < text.length()) {
            int escape = escapeLength(text, i);
            if (escape > 0) {
                i += escape;
            } else if (Character.isWhitespace(text.charAt(i))) {
                i++;
            } else {
                break;
            }
        }
        return i - at;
    }

    /** A backslash and {@code n r t f}, or {@code u000a u000d u0009 u000b u000c}: 2, 6, or 0 when none. */
    private static int escapeLength(String text, int at) {
        if (text.charAt(at) != '\\' || at + 1 >= text.length()) {
            return 0;
        }
        if ("nrtf".indexOf(text.charAt(at + 1)) >= 0) {
            return 2;
        }
        for (String code : new String[] {"\\u000a", "\\u000d", "\\u0009", "\\u000b", "\\u000c"}) {
            if (text.regionMatches(true, at, code, 0, code.length())) {
                return code.length();
            }
        }
        return 0;
    }

    /** Whether the whitespace from {@code at} breaks a line: anything but spaces and tabs, raw or escaped. */
    private static boolean holdsLineBreak(String text, int at, int length) {
        for (int i = at; i < at + length; i++) {
            char c = text.charAt(i);
            int escape = escapeLength(text, i);
            if (escape > 0) {
                char code = text.charAt(i + escape - 1);
                if (!(escape == 2 ? code == 't' : code == '9')) {
                    return true;
                }
                i += escape - 1;
            } else if (c != ' ' && c != '\t') {
                return true;
            }
        }
        return false;
    }
}
