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

    /**
     * How much of a value is searched for tokens: what is shown of it ({@link #MAX_VALUE_LENGTH}) and more, and the rest
     * of a run of token characters this falls in (up to as much again).
     */
    static final int LONGEST_SCANNED = 16 * 1024;
    /** A JWE header's {@code enc} member (RFC 7516 §4.1.2), not the word as any member's value. */
    private static final java.util.regex.Pattern JWE_HEADER = java.util.regex.Pattern.compile("\"enc\"\\s*:");

    /** What a token in a value is written as. */
    static final String TOKEN_NOT_SHOWN = "(a token, not shown)";

    /**
     * How far {@code value} is searched for tokens, {@code limit} at most: a token the limit cut would be no whole
     * token, and its start shown, so the run of token characters the limit falls in is searched to its end, up to as
     * far again; a run longer still ends the search where it starts (the caller shows nothing from there on).
     */
    static int scanEnd(String value, int limit) {
        int scanned = Log.cutEnd(value, limit);
        if (scanned < value.length()) {
            int runEnd = scanned;
            int farthest = Math.min(value.length(), scanned + limit);
            while (runEnd < farthest && isTokenChar(value.charAt(runEnd))) {
                runEnd++;
            }
            if (runEnd < value.length() && isTokenChar(value.charAt(runEnd))) {
                while (scanned > 0 && isTokenChar(value.charAt(scanned - 1))) {
                    scanned--;
                }
            } else {
                scanned = runEnd;
            }
        }
        return scanned;
    }

    /**
     * As it is when it holds only unambiguous characters (an id, a URL), else {@link #quoted}; cut when too long. A
     * token in it (a subject or a reason an application or the CLI was given) is written as {@value #TOKEN_NOT_SHOWN}.
     */
    static String shown(String value) {
        // Scanned for tokens no further than it can be shown from (a token is at most a few KiB): the scan of a
        // value megabytes long, which no API bounds (a reason, a subject), would take its caller's thread for minutes.
        int scanned = scanEnd(value, LONGEST_SCANNED);
        int unscanned = value.length() - scanned; // counted, not copied: it may be megabytes
        value = withoutTokens(value.substring(0, scanned));
        if (unscanned > 0 || value.length() > MAX_VALUE_LENGTH) {
            int end = Log.cutEnd(value, MAX_VALUE_LENGTH);
            return quoted(value.substring(0, end) + Log.cutMark(value.length() + unscanned - end));
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
            int end = compactTokenEndBefore(value, start, i);
            if (end > start) {
                out = out == null ? new StringBuilder(value.length()) : out;
                out.append(value, from, start).append(TOKEN_NOT_SHOWN);
                from = end;
            }
        }
        return out == null ? value : out.append(value, from, value.length()).toString();
    }

    /**
     * The longest {@code [start, end)} with {@code end} at most {@code runEnd} and only dots trimmed that is a compact
     * token, or -1: two or four dots in all, so at most two ends to try, however many dots a sentence puts after it.
     */
    private static int compactTokenEndBefore(String value, int start, int runEnd) {
        int core = runEnd;
        while (core > start && value.charAt(core - 1) == '.') {
            core--;
        }
        int dots = 0;
        for (int i = start; i < core; i++) {
            dots += value.charAt(i) == '.' ? 1 : 0;
        }
        for (int total : new int[] {4, 2}) {
            int end = core + total - dots;
            if (end >= core && end <= runEnd && isCompactToken(value, start, end)) {
                return end;
            }
        }
        return -1;
    }

    /**
     * The tokens glued to other characters of a run: {@code Bearer%20eyJ…} or {@code access_token%3DeyJ…} (a URL
     * quoted in a reason), {@code id_token.eyJ…}, {@code session_<hash>eyJ…}, {@code eyJ….thanks}. Each starts where a
     * JOSE header does (base64url of a brace, or of the white space jose4j takes before it) anywhere in a segment
     * followed by two or four more, and hides the rest of its run with it.
     */
    private static String withoutGluedTokens(String value) {
        StringBuilder out = null;
        int from = 0;
        int segmentStart = 0;
        while (segmentStart < value.length()) {
            if (!isTokenChar(value.charAt(segmentStart)) || value.charAt(segmentStart) == '.') {
                segmentStart++;
                continue;
            }
            int segmentEnd = base64UrlEnd(value, segmentStart);
            int start = gluedHeaderStart(value, segmentStart, segmentEnd);
            int end = start < 0 ? -1 : compactTokenEnd(value, start, segmentEnd);
            if (end < 0) {
                segmentStart = segmentEnd;
                continue;
            }
            // To the end of the run: a token glued on to this one ("T1T2") would otherwise show its claims.
            while (end < value.length() && isTokenChar(value.charAt(end))) {
                end++;
            }
            out = out == null ? new StringBuilder(value.length()) : out;
            out.append(value, from, start).append(TOKEN_NOT_SHOWN);
            from = end;
            segmentStart = end;
        }
        return out == null ? value : out.append(value, from, value.length()).toString();
    }

    /**
     * The first place in the segment {@code [start, end)} where a JOSE header begins that ends with it, or -1. In
     * linear time, however long the segment: the header from {@code p} decodes to the bytes that the segment from
     * {@code p - 4k} decodes to after its first {@code 3k}, so the segment is decoded once per alignment (four times)
     * and each candidate is a look at those bytes. (Trying each candidate's decoding took quadratic time, so only
     * the first 64 characters were tried, and a token after a longer hash was shown whole.)
     */
    private static int gluedHeaderStart(String value, int start, int end) {
        if (end >= value.length() || value.charAt(end) != '.' || segmentsEnd(value, end, 2) < 0) {
            return -1;
        }
        Alignment[] alignments = new Alignment[4];
        for (int p = start; p + 1 < end; p++) {
            if (!mayBeginHeader(value.charAt(p)) || (end - p) % 4 == 1) {
                continue;
            }
            int r = (p - start) % 4;
            if (alignments[r] == null) {
                alignments[r] = Alignment.of(value.substring(start + r, end));
            }
            if (alignments[r].endsAHeaderBeginningAt(3 * ((p - start - r) / 4))) {
                return p;
            }
        }
        return -1;
    }

    /**
     * The first base64url character of a brace ({@code e}) or of JSON white space before it ({@code I} a space,
     * {@code C} a tab or line feed, {@code D} a carriage return): where a header jose4j reads can begin.
     */
    private static boolean mayBeginHeader(char c) {
        return c == 'e' || c == 'I' || c == 'C' || c == 'D';
    }

    /**
     * A segment decoded from one alignment: every header candidate of that alignment is a suffix of its bytes, and
     * shares its end (a closing brace after white space, or not) and its last {@code "alg"} or escape.
     *
     * @param braceFrom for each byte, where the first byte that is no JSON white space lies from it on (so a candidate
     *                  is looked at once, however much white space a run holds)
     */
    private record Alignment(byte[] bytes, boolean endsWithBrace, int lastAlgOrEscape, int[] braceFrom) {

        private static final byte[] ALG = "\"alg\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] ESCAPE = {'\\'};

        static Alignment of(String segment) {
            if (segment.length() % 4 == 1) {
                return new Alignment(new byte[0], false, -1, new int[1]); // no base64url
            }
            byte[] bytes = Base64.getUrlDecoder().decode(segment);
            // The tail decodes alike from any '{' (an ASCII byte starts a character in UTF-8), and strips alike.
            boolean endsWithBrace = new String(bytes, StandardCharsets.UTF_8).strip().endsWith("}");
            int[] braceFrom = new int[bytes.length + 1];
            braceFrom[bytes.length] = bytes.length;
            for (int i = bytes.length - 1; i >= 0; i--) {
                boolean space = bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r';
                braceFrom[i] = space ? braceFrom[i + 1] : i;
            }
            int lastAlgOrEscape = Math.max(lastIndexOf(bytes, ALG), lastIndexOf(bytes, ESCAPE));
            return new Alignment(bytes, endsWithBrace, lastAlgOrEscape, braceFrom);
        }

        /** Whether the bytes from {@code from} are a JSON object as {@link #joseHeader} takes one, after white space. */
        boolean endsAHeaderBeginningAt(int from) {
            if (!endsWithBrace || from >= bytes.length) {
                return false;
            }
            int brace = braceFrom[from];
            return brace < bytes.length && bytes[brace] == '{' && lastAlgOrEscape >= brace;
        }

        private static int lastIndexOf(byte[] bytes, byte[] part) {
            outer:
            for (int i = bytes.length - part.length; i >= 0; i--) {
                for (int j = 0; j < part.length; j++) {
                    if (bytes[i + j] != part[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /**
     * Where the compact JWE (five segments) or JWS (three) whose header runs from {@code start} to {@code headerEnd}
     * ends, or -1.
     */
    private static int compactTokenEnd(String value, int start, int headerEnd) {
        if (headerEnd == start || headerEnd >= value.length() || value.charAt(headerEnd) != '.'
                || (headerEnd - start) % 4 == 1) {
            return -1;
        }
        int jwsEnd = segmentsEnd(value, headerEnd, 2);
        String header = jwsEnd < 0 ? null : joseHeader(value, start, headerEnd);
        if (header == null) {
            return -1;
        }
        // A JWE names its content encryption; a JWS followed by ".more.text" is no JWE, nor one whose kid is "enc".
        int jweEnd = JWE_HEADER.matcher(header).find() ? segmentsEnd(value, headerEnd, 4) : -1;
        return jweEnd > 0 ? jweEnd : jwsEnd;
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
        return joseHeader(value, start, firstDot) != null;
    }

    /**
     * The JSON object naming {@code alg} that {@code [start, end)} decodes to as base64url, or null. One holding an
     * escape counts too: jose4j unescapes member names, so {@code alg} may be spelt with a Unicode escape.
     */
    private static String joseHeader(String value, int start, int end) {
        try {
            String header = new String(Base64.getUrlDecoder().decode(value.substring(start, end)),
                    StandardCharsets.UTF_8).strip();
            boolean namesAlg = header.contains("\"alg\"") || header.indexOf('\\') >= 0;
            return header.startsWith("{") && header.endsWith("}") && namesAlg ? header : null;
        } catch (IllegalArgumentException e) {
            return null; // not base64url of whole bytes
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
     * Loads {@link Instance} without deciding it (no host name lookup here): the first audit line, a fail-open pass's,
     * may come after the application's class loader closed ({@link Log#loadClasses()}).
     */
    static void loadClasses() {
        Instance.class.getName();
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
