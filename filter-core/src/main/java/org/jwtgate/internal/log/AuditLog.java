package org.jwtgate.internal.log;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The audit trail, on the logger {@value #LOGGER}: one INFO line per revocation and one WARN line per
 * request let through unchecked ({@code revocation.failure-mode=open}), naming what (sub, iss, jti — never a
 * token), who and why when given, the outcome, and this instance. Values are quoted and escaped, so
 * no claim or actor text can forge a field or a line.
 */
public final class AuditLog {

    /** The logger name administrators route to their audit file. */
    public static final String LOGGER = "org.jwtgate.audit";

    private static final Log LOG = Log.named(LOGGER);

    private AuditLog() {
    }

    /**
     * {@code AUDIT <event> k1=v1 k2="v 2" … instance=host/pid}: a value is quoted unless it holds only
     * id and URL characters; null values are left out.
     */
    public static void info(String event, String... keysAndValues) {
        // Whole, not through a {} argument: the values are escaped and cut here, and an argument's 8 KiB cap would
        // cut a line of several escaped values before its last fields (durable, replicas, instance).
        LOG.whole(System.Logger.Level.INFO, line(event, keysAndValues));
    }

    public static void warn(String event, String... keysAndValues) {
        LOG.whole(System.Logger.Level.WARNING, line(event, keysAndValues));
    }

    static String line(String event, String... keysAndValues) {
        StringBuilder line = new StringBuilder("AUDIT ").append(event);
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                line.append(' ').append(keysAndValues[i]).append('=').append(shown(keysAndValues[i + 1]));
            }
        }
        return line.append(" instance=").append(shown(Instance.NAME)).toString();
    }

    /** Longest value written whole: a {@code sub} or a reason can be as long as a token or a caller makes it. */
    static final int MAX_VALUE_LENGTH = 1024;

    /** What a token in a value is written as. */
    static final String TOKEN_NOT_SHOWN = "(a token, not shown)";

    /**
     * As it is when it holds only unambiguous characters (an id, a URL), else {@link #quoted}; cut when too long. A
     * token in it (a subject or a reason an application or the CLI was given) is written as {@value #TOKEN_NOT_SHOWN}.
     */
    static String shown(String value) {
        value = withoutTokens(value);
        if (value.length() > MAX_VALUE_LENGTH) {
            int end = Log.cutEnd(value, MAX_VALUE_LENGTH);
            return quoted(value.substring(0, end) + Log.cutMark(value, end));
        }
        if (value.isEmpty()) {
            return "\"\"";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ".-_:/@+%,".indexOf(c) >= 0;
            if (!plain) {
                return quoted(value);
            }
        }
        return value;
    }

    /**
     * {@code value} with each compact JWS or JWE in it (base64url segments joined by two or four dots, the first a JOSE
     * header: a JSON object naming {@code alg}) replaced by {@value #TOKEN_NOT_SHOWN}. Dotted names and host names stay.
     */
    static String withoutTokens(String value) {
        return withoutGluedTokens(withoutDelimitedTokens(value));
    }

    /** The tokens that are a whole run of base64url characters and dots (as a sentence or a header holds them). */
    private static String withoutDelimitedTokens(String value) {
        StringBuilder out = null;
        int from = 0;
        int i = 0;
        while (i < value.length()) {
            if (!isTokenChar(value.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < value.length() && isTokenChar(value.charAt(i))) {
                i++;
            }
            while (start < i && value.charAt(start) == '.') {
                start++;
            }
            // The dots a sentence puts after a token ("...sig.") are no part of it; an unsecured JWS ends with one.
            int end = i;
            while (!isCompactToken(value, start, end) && end > start && value.charAt(end - 1) == '.') {
                end--;
            }
            if (isCompactToken(value, start, end)) {
                out = out == null ? new StringBuilder(value.length()) : out;
                out.append(value, from, start).append(TOKEN_NOT_SHOWN);
                from = end;
            }
        }
        return out == null ? value : out.append(value, from, value.length()).toString();
    }

    /**
     * The tokens glued to other characters of a run: {@code Bearer%20eyJ…} or {@code access_token%3DeyJ…} (a URL
     * quoted in a reason), {@code id_token.eyJ…}, {@code eyJ….thanks}. Each starts where a JOSE header does
     * ({@code ey} or {@code ew}: base64url of a brace and a quote or white space) and takes its two or four more
     * segments.
     */
    private static String withoutGluedTokens(String value) {
        StringBuilder out = null;
        int from = 0;
        int i = 0;
        while (i + 1 < value.length()) {
            int end = value.charAt(i) == 'e' && (value.charAt(i + 1) == 'y' || value.charAt(i + 1) == 'w')
                    ? compactTokenEnd(value, i) : -1;
            if (end < 0) {
                i++;
                continue;
            }
            out = out == null ? new StringBuilder(value.length()) : out;
            out.append(value, from, i).append(TOKEN_NOT_SHOWN);
            from = end;
            i = end;
        }
        return out == null ? value : out.append(value, from, value.length()).toString();
    }

    /** Where the compact JWS (three segments) or JWE (five) whose header starts at {@code start} ends, or -1. */
    private static int compactTokenEnd(String value, int start) {
        int headerEnd = base64UrlEnd(value, start);
        if (headerEnd == start || headerEnd >= value.length() || value.charAt(headerEnd) != '.'
                || (headerEnd - start) % 4 == 1 || !isCompactToken(value, start, segmentsEnd(value, headerEnd, 2))) {
            return -1;
        }
        String header = new String(Base64.getUrlDecoder().decode(value.substring(start, headerEnd)), StandardCharsets.UTF_8);
        int end = segmentsEnd(value, headerEnd, header.contains("\"enc\"") ? 4 : 2);
        return end < 0 ? -1 : end;
    }

    /** The end of {@code segments} dot-led base64url segments from {@code from} (a dot), or -1 when a dot is missing. */
    private static int segmentsEnd(String value, int from, int segments) {
        int at = from;
        for (int k = 0; k < segments; k++) {
            if (at < 0 || at >= value.length() || value.charAt(at) != '.') {
                return -1;
            }
            at = base64UrlEnd(value, at + 1);
        }
        return at;
    }

    private static int base64UrlEnd(String value, int from) {
        int at = from;
        while (at < value.length() && isTokenChar(value.charAt(at)) && value.charAt(at) != '.') {
            at++;
        }
        return at;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    }

    private static boolean isCompactToken(String value, int start, int end) {
        int dots = 0;
        int firstDot = -1;
        for (int i = start; i < end; i++) {
            if (value.charAt(i) == '.') {
                firstDot = firstDot < 0 ? i : firstDot;
                dots++;
            }
        }
        if ((dots != 2 && dots != 4) || firstDot == start || (firstDot - start) % 4 == 1) { // 4n+1 characters: no base64url
            return false;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(value.substring(start, firstDot)),
                    StandardCharsets.UTF_8).strip();
            return header.startsWith("{") && header.endsWith("}") && header.contains("\"alg\"");
        } catch (IllegalArgumentException e) {
            return false; // not base64url of whole bytes
        }
    }

    /** In double quotes; backslash, quote and every control character escaped: also a JSON string. */
    public static String quoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Log.needsEscape(value, i)) {
                Log.appendEscaped(out, c);
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * Decided on the first audit line, not when the class is first used: {@link #quoted} serves the health servlet,
     * whose first probe would otherwise wait for a host name lookup (seconds where DNS is slow), and every caller with it.
     */
    private static final class Instance {
        static final String NAME = instance();
    }

    /** {@code <host>/<pid>}, decided once; the host from HOSTNAME when set (no name lookup then). */
    private static String instance() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "unknown-host";
            }
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
