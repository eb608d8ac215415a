package org.jwtgate.config;

/**
 * Finds secrets written as {@code jwt.secret} takes them, {@code base64:} and base64, in a message or a value, so that
 * {@link SecretKeys#hidden} masks them. {@link SecretKeys#decode} ignores spaces and line breaks, so a secret may come
 * wrapped ({@code openssl rand -base64 64} breaks its lines at 64 characters) or spaced; the words of a sentence
 * around it are not part of it. A secret is:
 * <ul>
 *   <li>{@code base64:} in any case, then its first run of base64 characters, right after the colon, or after spaces
 *       and line breaks when that run alone is long enough for a secret (prose says "base64: and its base64");</li>
 *   <li>then more runs, each after spaces, line breaks or the escapes messages write them as (a backslash and u000a, or n), while the
 *       runs before are all as long as the first (a wrapped or grouped value), none ended with padding and the next
 *       is not another prefix: a run as long as the first goes on, a shorter one is the last, and is taken only where
 *       the text or the value ends there (a bracket, a comma, a quote), not before another word;</li>
 *   <li>masked when it holds at least {@value #MIN_BASE64_CHARACTERS} base64 characters (96 bits).</li>
 * </ul>
 */
final class WrittenSecrets {

    static final int MIN_BASE64_CHARACTERS = 16;
    private static final String PREFIX = "base64:";
    private static final String MASKED = "base64:****";

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
        int first = start + separatorLength(text, start);
        int firstRun = runLength(text, first);
        if (firstRun == 0 || (first > start && firstRun < MIN_BASE64_CHARACTERS) || isPrefixAt(text, first)) {
            return -1;
        }
        int count = firstRun;
        int end = first + firstRun;
        int previousRun = firstRun;
        while (previousRun == firstRun && text.charAt(end - 1) != '=') {
            int separator = separatorLength(text, end);
            int next = end + separator;
            int run = separator == 0 ? 0 : runLength(text, next);
            if (run == 0 || run > firstRun || isPrefixAt(text, next)) {
                break;
            }
            int after = next + run;
            if (run < firstRun && !endsValue(text, after)) {
                break;
            }
            count += run;
            end = after;
            previousRun = run;
        }
        return count >= MIN_BASE64_CHARACTERS ? end : -1;
    }

    /** The end of the text, or a character that is neither base64, nor a separator, nor a colon. */
    private static boolean endsValue(String text, int at) {
        return at >= text.length() || (separatorLength(text, at) == 0 && text.charAt(at) != ':');
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

    /** Spaces, tabs, line breaks and the escapes messages write them as, from {@code at}: how many characters. */
    private static int separatorLength(String text, int at) {
        int i = at;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else if (c == '\\' && i + 1 < text.length() && "nrt".indexOf(text.charAt(i + 1)) >= 0) {
                i += 2;
            } else if (c == '\\' && (text.regionMatches(true, i, "\\u000a", 0, 6)
                    || text.regionMatches(true, i, "\\u000d", 0, 6) || text.regionMatches(true, i, "\\u0009", 0, 6))) {
                i += 6;
            } else {
                break;
            }
        }
        return i - at;
    }
}
