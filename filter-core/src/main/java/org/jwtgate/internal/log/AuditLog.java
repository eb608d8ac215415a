package org.jwtgate.internal.log;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The audit trail, on the logger {@value #LOGGER}: one INFO line per revocation and one WARN line per
 * request let through unchecked ({@code revocation.failure-mode=open}), naming what (sub, iss, jti — never a
 * token), who and why when given, the outcome, the application (filter and context path, when a front end named it)
 * and this instance. Values are quoted and escaped, so
 * no claim or actor text can forge a field or a line.
 */
public final class AuditLog {

    /** The logger name administrators route to their audit file. */
    public static final String LOGGER = "org.jwtgate.audit";

    private static final Log LOG = Log.named(LOGGER);
    /**
     * The source of the lines of no application's. AuditSource is not immutable ({@link AuditSource#identify} names
     * it), so this one never leaves this class: nothing can name it, and it names nothing on every line.
     */
    private static final AuditSource UNNAMED = AuditSource.unnamed();

    private AuditLog() {
    }

    /**
     * {@code AUDIT <event> k1=v1 k2="v 2" … filter=name context=/path instance=host/pid}: a value is quoted unless it
     * holds only id and URL characters; null values are left out, and so are {@code filter} and {@code context} when
     * {@code source} names no application.
     */
    public static void info(AuditSource source, String event, String... keysAndValues) {
        // Whole, not through a {} argument: the values are escaped and cut here, and an argument's 8 KiB cap would
        // cut a line of several escaped values before its last fields (durable, replicas, instance).
        LOG.whole(System.Logger.Level.INFO, line(source, event, keysAndValues));
    }

    public static void warn(AuditSource source, String event, String... keysAndValues) {
        LOG.whole(System.Logger.Level.WARNING, line(source, event, keysAndValues));
    }

    /** As {@link #info(AuditSource, String, String...)}, for a line of no application's. */
    public static void info(String event, String... keysAndValues) {
        info(UNNAMED, event, keysAndValues);
    }

    /** As {@link #warn(AuditSource, String, String...)}, for a line of no application's. */
    public static void warn(String event, String... keysAndValues) {
        warn(UNNAMED, event, keysAndValues);
    }

    static String line(String event, String... keysAndValues) {
        return line(UNNAMED, event, keysAndValues);
    }

    static String line(AuditSource source, String event, String... keysAndValues) {
        StringBuilder line = new StringBuilder("AUDIT ").append(event);
        append(line, keysAndValues);
        append(line, source.fields());
        return line.append(" instance=").append(shown(Instance.NAME)).toString();
    }

    private static void append(StringBuilder line, String... keysAndValues) {
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                line.append(' ').append(keysAndValues[i]).append('=').append(shown(keysAndValues[i + 1]));
            }
        }
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
    public static String shown(String value) {
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
     * A token broken by characters that are no part of it ({@link BrokenText}: wrapped at 76 columns, a soft hyphen or a
     * zero-width space where a web page broke it) is not shown either.
     */
    static String withoutTokens(String value) {
        String masked = masked(value, delimitedTokens(value));
        masked = masked(masked, gluedTokens(masked));
        return withoutBrokenTokens(masked);
    }

    /**
     * {@code value} (whose whole tokens are masked) with each token that shows once its {@link BrokenText#isBreak
     * breaks} are taken out masked too, from its first character to its last, the breaks within it with it: else its
     * pieces were written as they are, and whoever read the line took the escapes out and had the working token. Two
     * more passes, each in linear time, when the value holds a break at all.
     */
    private static String withoutBrokenTokens(String value) {
        BrokenText text = BrokenText.of(value);
        if (text == null) {
            return value;
        }
        String once = masked(value, text.original(delimitedTokens(text.joined)));
        if (once != value) { // masked: read the breaks again, else the text read stands
            text = BrokenText.of(once);
        }
        return text == null ? once : masked(once, text.original(gluedTokens(text.joined)));
    }

    /** {@code value} with each of {@code tokens} (in order, apart) written {@value #TOKEN_NOT_SHOWN}. */
    private static String masked(String value, Ranges tokens) {
        if (tokens.size == 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int from = 0;
        for (int k = 0; k < tokens.size; k++) {
            out.append(value, from, tokens.start(k)).append(TOKEN_NOT_SHOWN);
            from = tokens.end(k);
        }
        return out.append(value, from, value.length()).toString();
    }

    /**
     * Where tokens lie in a text: for each, its start, its end and where its last segment starts (after its last dot),
     * which {@link BrokenText} needs to tell the end of a broken token from a word after it.
     */
    private static final class Ranges {
        private int[] values = new int[0];
        private int size;

        void add(int start, int end, int lastSegment) {
            if (3 * size + 3 > values.length) {
                values = Arrays.copyOf(values, Math.max(12, values.length * 2));
            }
            values[3 * size] = start;
            values[3 * size + 1] = end;
            values[3 * size + 2] = lastSegment;
            size++;
        }

        int start(int k) {
            return values[3 * k];
        }

        int end(int k) {
            return values[3 * k + 1];
        }

        int lastSegment(int k) {
            return values[3 * k + 2];
        }
    }

    /**
     * A text with its breaks taken out ({@link #joined}), and where each of its characters was: a token in the joined
     * text that spans a break is a broken one. A break is a stretch of what a copy, a wrap or a page puts inside a word
     * and no token holds: white space, line breaks and other control characters, and format characters (Unicode's Cc, Cf,
     * Zs, Zl and Zp: a soft hyphen, a zero-width space, a joiner), the other invisible characters {@link Log} escapes, a
     * mail reply's quote marks ({@code >}) at the start of a line, and quoted-printable's soft line break ({@code =}
     * before a line break).
     */
    static final class BrokenText {
        final String joined;
        private final String text;
        /** For each character of {@link #joined}, where it is in {@link #text}. */
        private final int[] at;

        private BrokenText(String joined, String text, int[] at) {
            this.joined = joined;
            this.text = text;
            this.at = at;
        }

        /** Null when {@code text} holds no break, or too few dots to hold a token. */
        static BrokenText of(String text) {
            int dots = 0;
            boolean broken = false;
            for (int i = 0; i < text.length() && (dots < 2 || !broken); i++) {
                dots += text.charAt(i) == '.' ? 1 : 0;
                broken |= isBreak(text.codePointAt(i));
            }
            if (dots < 2 || !broken) {
                return null;
            }
            StringBuilder joined = new StringBuilder(text.length());
            int[] at = new int[text.length()];
            boolean lineStart = false;
            for (int i = 0; i < text.length(); ) {
                int codePoint = text.codePointAt(i);
                int length = Character.charCount(codePoint);
                boolean lineBreak = codePoint == '\n' || codePoint == '\r';
                boolean breaks = isBreak(codePoint)
                        || (lineStart && codePoint == '>') // a mail reply's quote marks at the start of a line
                        || (codePoint == '=' && i + 1 < text.length() // quoted-printable's soft line break, "=" CRLF
                                && (text.charAt(i + 1) == '\r' || text.charAt(i + 1) == '\n'));
                lineStart = lineBreak || (lineStart && breaks);
                if (!breaks) {
                    for (int j = i; j < i + length; j++) {
                        at[joined.length()] = j;
                        joined.append(text.charAt(j));
                    }
                }
                i += length;
            }
            return new BrokenText(joined.toString(), text, at);
        }

        static boolean isBreak(int codePoint) {
            if (codePoint > ' ' && codePoint < 0x7f) {
                return false; // visible ASCII, most of any text: no look-up
            }
            return switch (Character.getType(codePoint)) {
                case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                        Character.PARAGRAPH_SEPARATOR -> true;
                default -> Log.isInvisible(codePoint); // a blank that is not a format character (U+2800, U+3164, …)
            };
        }

        /**
         * The tokens found in {@link #joined} that span a break, as stretches of the text (the others are whole in it,
         * and masked already). A token's last segment (its signature) has no end of its own: it runs on across a line
         * break or an invisible character, as a wrapped or hyphenated one does, but ends at a break of spaces alone or
         * one holding a blank line, which is where a sentence goes on ("… was leaked"); the word on the line after a
         * wrapped token is hidden with it.
         */
        Ranges original(Ranges tokens) {
            Ranges stretches = new Ranges();
            for (int k = 0; k < tokens.size; k++) {
                int start = tokens.start(k);
                int end = tokens.end(k);
                int lastSegment = Math.max(start, tokens.lastSegment(k));
                for (int j = lastSegment + 1; j < end; j++) {
                    if (at[j] != at[j - 1] + 1 && endsASegment(at[j - 1] + 1, at[j])) {
                        end = j;
                        // The dots a sentence puts after it are no part of it ("…sig.\n\nRotate").
                        while (end > lastSegment && joined.charAt(end - 1) == '.') {
                            end--;
                        }
                        break;
                    }
                }
                int from = at[start];
                int to = at[end - 1] + 1;
                if (to - from > end - start) { // else whole, and masked already
                    stretches.add(from, to, to);
                }
            }
            return stretches;
        }

        /** Whether the break {@code [from, to)} of {@link #text} is spaces alone, or holds a blank line. */
        private boolean endsASegment(int from, int to) {
            int lineBreaks = 0;
            boolean space = false;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c == '\n' || c == 0x0b || c == '\f' || c == 0x85 || c == '\u2028' || c == '\u2029'
                        || (c == '\r' && (i + 1 >= to || text.charAt(i + 1) != '\n'))) {
                    lineBreaks++;
                } else if (c == '\t' || Character.getType(c) == Character.SPACE_SEPARATOR) {
                    space = true;
                }
            }
            return lineBreaks >= 2 || (lineBreaks == 0 && space);
        }
    }

    /** The tokens that are a whole run of base64url characters and dots (as a sentence or a header holds them). */
    private static Ranges delimitedTokens(String value) {
        Ranges tokens = new Ranges();
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
                tokens.add(start, end, lastSegmentStart(value, start, end));
            }
        }
        return tokens;
    }

    /**
     * Where the last segment of the compact token {@code [start, end)} starts: after its second dot, or its fourth when
     * its header names a content encryption (a JWE), whatever follows ({@code [start, end)} may hold four dots, the last
     * two a sentence's).
     */
    private static int lastSegmentStart(String value, int start, int end) {
        int first = value.indexOf('.', start);
        int second = value.indexOf('.', first + 1);
        String header = joseHeader(value, start, first);
        if (header != null && JWE_HEADER.matcher(header).find()) {
            int fourth = value.indexOf('.', value.indexOf('.', second + 1) + 1);
            if (fourth > 0 && fourth < end) {
                return fourth + 1;
            }
        }
        return second + 1;
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
    private static Ranges gluedTokens(String value) {
        Ranges tokens = new Ranges();
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
            int lastSegment = value.lastIndexOf('.', end - 1) + 1;
            // To the end of the run: a token glued on to this one ("T1T2") would otherwise show its claims.
            while (end < value.length() && isTokenChar(value.charAt(end))) {
                end++;
            }
            tokens.add(start, end, lastSegment);
            segmentStart = end;
        }
        return tokens;
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
