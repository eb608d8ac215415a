package org.jwtgate.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jwtgate.config.ConfigKeys;

/** The token operand: given inline, or {@code -} to read it from standard input, where it must be the only line. */
final class TokenInput {

    /** The largest token.max-length the settings allow (1,048,576): a token of that length is judged, not refused here. */
    private static final int LONGEST_TOKEN = (int) ConfigKeys.setting(ConfigKeys.TOKEN_MAX_LENGTH).max();
    /**
     * The bound on the token's line as read: above the longest token by a margin for what the line holds besides it and
     * {@link #read} takes off (a byte-order mark, a "Bearer " prefix, white space, a Windows file's CR). At exactly the
     * longest token, such a token ending in CRLF or pasted with its prefix was refused as too long.
     */
    private static final int MAX_LINE_CHARS = LONGEST_TOKEN + (1 << 12);
    /** The bound on blank characters read after the token's line, looking for a second token: 1 MiB. */
    private static final int MAX_BLANK_CHARS = 1 << 20;
    /** U+FEFF, which a Windows editor writes before a file's text: not part of the token. */
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private TokenInput() {
    }

    static String read(String operand, CliEnvironment environment) {
        String token = operand;
        if (CliArguments.STDIN.equals(operand)) {
            token = firstLine(environment);
            if (token.isBlank()) {
                // `status - < /dev/null`: "The token is empty" read as if a blank token had been typed.
                throw CliException.usage("No token on standard input (it was empty or closed); with -, the token is read from"
                        + " standard input, e.g. status - < token.txt");
            }
        }
        token = withoutBearer(withoutByteOrderMark(token).strip());
        if (token.isEmpty()) {
            throw CliException.usage("The token is empty");
        }
        return token;
    }

    /** A file's mark, read from standard input or kept by the shell in {@code "$(cat token.txt)"}. */
    private static String withoutByteOrderMark(String text) {
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    private static String withoutBearer(String token) {
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return token.substring(7).strip(); // pasted from an Authorization header
        }
        return token;
    }

    /**
     * Whether {@code token} has the shape of a compact JWS or JWE (base64url segments joined by two or four
     * dots): anything else is refused before a store is contacted, as verification would refuse it.
     */
    static boolean isJoseCompact(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return dots == 2 || dots == 4;
    }

    /**
     * Whether {@code text} is a token rather than a name, or holds one: the compact shape, and a first segment that
     * decodes to a JSON object (the JOSE header). A user name with dots ({@code john.doe.smith}) is not one. Also one
     * broken as it was pasted, which holds a token once its {@link #isBreak breaks} are taken out: wrapped at 76
     * columns by a mail ({@code \n}, {@code \r\n}), or with a space or a zero-width space inside. The audit line hides
     * such a token too (filter-core's {@code AuditLog}, which the CLI cannot call). Two passes, each in linear time.
     */
    static boolean looksLikeToken(String text) {
        if (holdsToken(text)) {
            return true;
        }
        String joined = withoutBreaks(text);
        return joined != null && holdsToken(joined);
    }

    /**
     * {@code text} with each break taken out, or null when it holds none or has too few dots to hold a token. A break
     * is what a copy, a wrap or a page puts inside a word and no token holds: white space, line breaks and other
     * control characters, and format characters (Unicode's Cc, Cf, Zs, Zl and Zp: a soft hyphen, a zero-width space).
     */
    private static String withoutBreaks(String text) {
        int dots = 0;
        boolean broken = false;
        for (int i = 0; i < text.length(); i++) {
            dots += text.charAt(i) == '.' ? 1 : 0;
            broken |= isBreak(text.codePointAt(i));
        }
        if (dots < 2 || !broken) {
            return null;
        }
        StringBuilder joined = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int length = Character.charCount(codePoint);
            if (!isBreak(codePoint)) {
                joined.append(text, i, i + length);
            }
            i += length;
        }
        return joined.toString();
    }

    /**
     * Unicode's Cc, Cf, Zs, Zl or Zp (a tag character is a Cf): the core of what filter-core's audit line takes for a
     * break, which also passes over the other invisible characters it escapes and a mail's quote marks and soft breaks.
     */
    private static boolean isBreak(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    private static boolean holdsToken(String text) {
        if (isTokenAlone(text)) {
            return true;
        }
        // One within other text, as copied: "eyJ…" from JSON, eyJ…, from a list, Authorization: Bearer eyJ….
        int i = 0;
        while (i < text.length()) {
            if (!isTokenCharacter(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && isTokenCharacter(text.charAt(i))) {
                i++;
            }
            if (isTokenFrom(text, start, i) || holdsGluedToken(text, start, i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a token begins inside the run {@code [start, end)}, where a header glued to other name characters does
     * ({@code sid_eyJ…}). In linear time however many {@code ey} the run holds: a candidate's header decodes to the
     * bytes its segment decodes to from the same alignment, after the first {@code 3k}, so each segment is decoded
     * once per alignment and a candidate is looked at in constant time before the full check. (Checking each one in
     * full took seconds for a run of {@code eyey…}.)
     */
    private static boolean holdsGluedToken(String text, int start, int end) {
        int lastDot = lastDotIn(text, start, end);
        int segmentStart = start;
        int segmentEnd = -1;
        HeaderSuffixes[] alignments = null;
        for (int from = headerStart(text, start + 1, end); from >= 0; from = headerStart(text, from + 1, end)) {
            if (from > segmentEnd) {
                segmentEnd = firstDotIn(text, from, end);
                if (segmentEnd < 0 || segmentEnd == lastDot) {
                    return false; // a token has two dots after its header's start: none from here on has
                }
                int dot = lastDotIn(text, start, from);
                segmentStart = dot < 0 ? start : dot + 1;
                alignments = new HeaderSuffixes[4];
            }
            int r = (from - segmentStart) % 4;
            if (alignments[r] == null) {
                alignments[r] = HeaderSuffixes.of(text.substring(segmentStart + r, segmentEnd));
            }
            if (alignments[r].mayBeginAt(3 * ((from - segmentStart - r) / 4)) && isTokenFrom(text, from, end)) {
                return true;
            }
        }
        return false;
    }

    /** The first dot in {@code [from, end)}, or -1: never looked for beyond the run, so many runs cost their length. */
    private static int firstDotIn(String text, int from, int end) {
        for (int i = from; i < end; i++) {
            if (text.charAt(i) == '.') {
                return i;
            }
        }
        return -1;
    }

    /** The last dot in {@code [start, end)}, or -1. */
    private static int lastDotIn(String text, int start, int end) {
        for (int i = end - 1; i >= start; i--) {
            if (text.charAt(i) == '.') {
                return i;
            }
        }
        return -1;
    }

    /**
     * A header segment decoded from one alignment: each candidate of that alignment is a suffix of its bytes, and
     * shares its end (a closing brace, or not) and its last {@code "alg"} or escape. A candidate starts with {@code e},
     * so its first byte is ASCII: a brace, or no header.
     */
    private record HeaderSuffixes(byte[] bytes, boolean endsWithBrace, int lastAlgOrEscape) {

        private static final HeaderSuffixes NONE = new HeaderSuffixes(new byte[0], false, -1);

        static HeaderSuffixes of(String segment) {
            if (segment.length() % 4 == 1) {
                return NONE; // no base64url of whole bytes
            }
            byte[] bytes = Base64.getUrlDecoder().decode(segment);
            boolean endsWithBrace = new String(bytes, StandardCharsets.UTF_8).strip().endsWith("}");
            int alg = lastIndexOf(bytes, "\"alg\"".getBytes(StandardCharsets.US_ASCII));
            int escape = lastIndexOf(bytes, new byte[] {'\\'});
            return new HeaderSuffixes(bytes, endsWithBrace, Math.max(alg, escape));
        }

        boolean mayBeginAt(int from) {
            return endsWithBrace && from < bytes.length && bytes[from] == '{' && lastAlgOrEscape >= from;
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
     * The first place in {@code [from, end)} where a JOSE header's base64url can begin ({@code ey}, {@code ew}); -1.
     * Not where white space before the brace would begin one, as the audit line also looks: each candidate costs a
     * scan of the rest of the run here, and I, C and D fill base64 text.
     */
    private static int headerStart(String text, int from, int end) {
        for (int k = from; k + 1 < end; k++) {
            if (text.charAt(k) == 'e' && (text.charAt(k + 1) == 'y' || text.charAt(k + 1) == 'w')) {
                return k;
            }
        }
        return -1;
    }

    /**
     * A token from {@code from} to the run's end {@code end}, or to just before its third or fifth dot: text glued after
     * one ({@code <jwt>.txt}) adds a dot.
     */
    private static boolean isTokenFrom(String text, int from, int end) {
        if (isTokenAlone(text.substring(from, end))) {
            return true;
        }
        int dots = 0;
        for (int k = from; k < end && dots < 5; k++) {
            if (text.charAt(k) == '.' && (++dots == 3 || dots == 5) && isTokenAlone(text.substring(from, k))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTokenCharacter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.';
    }

    private static boolean isTokenAlone(String text) {
        String candidate = withoutBearer(withoutByteOrderMark(text).strip());
        // The dots of a sentence or a log line around a token ("...sig.") are no part of it; an unsecured JWS ends with one.
        int start = 0;
        while (start < candidate.length() && candidate.charAt(start) == '.') {
            start++;
        }
        candidate = candidate.substring(start);
        if (!isJoseCompact(candidate)) {
            // Trailing dots: the longest that leaves two or four in all (not one at a time: a run of them took seconds).
            int core = candidate.length();
            while (core > 0 && candidate.charAt(core - 1) == '.') {
                core--;
            }
            long dots = candidate.substring(0, core).chars().filter(c -> c == '.').count();
            String trimmed = null;
            for (int total : new int[] {4, 2}) {
                int end = (int) (core + total - dots);
                if (end >= core && end <= candidate.length() && isJoseCompact(candidate.substring(0, end))) {
                    trimmed = candidate.substring(0, end);
                    break;
                }
            }
            if (trimmed == null) {
                return false;
            }
            candidate = trimmed;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(candidate.substring(0, candidate.indexOf('.'))),
                    StandardCharsets.UTF_8).strip();
            // Naming alg, as every JOSE header does and as the audit line asks: a user may be named e30.a.b ("{}").
            // A header holding an escape counts too: jose4j unescapes member names, so alg may be spelt with one.
            boolean namesAlg = header.contains("\"alg\"") || header.indexOf('\\') >= 0;
            return header.startsWith("{") && header.endsWith("}") && namesAlg;
        } catch (IllegalArgumentException e) {
            return false; // not base64url of whole bytes
        }
    }

    /**
     * The token typed or pasted at a terminal, read with the terminal's echo off ({@code Console.readPassword}): read
     * with it on, the token was written back to the screen, its scrollback and any session recording. Enter ends it, as
     * before; a paste of several lines is refused as from a file ({@code rest}: what the console has read past the
     * first line). The characters read are wiped once copied. {@code readPassword} gives null at the end of the input
     * (Ctrl-D first): no token.
     */
    static String hiddenLine(Supplier<char[]> readPassword, Reader rest) {
        char[] typed = readPassword.get();
        if (typed == null) {
            return "";
        }
        try {
            if (typed.length > MAX_LINE_CHARS) {
                throw CliException.usage("The token read from standard input is longer than " + MAX_LINE_CHARS + " characters");
            }
            String line = new String(typed);
            refuseMorePasted(rest);
            return line;
        } finally {
            Arrays.fill(typed, '\0');
        }
    }

    /** How long what a paste put after its first line is waited for: it is there already, or was typed later. */
    private static final long PASTED_WAIT_MS = 250;

    /**
     * {@link #refuseMoreLines} for what the console read past the token's line: the console keeps a paste's further
     * lines in its own buffer and its {@code ready()} does not count them, so they are read on a thread of their own
     * and waited for a moment. Nothing there, the thread stays blocked on the terminal until the process ends (typed
     * there meanwhile, a line goes to it, as it went to nothing before).
     */
    private static void refuseMorePasted(Reader rest) {
        CompletableFuture<Boolean> more = new CompletableFuture<>();
        Thread peek = new Thread(() -> {
            try {
                int c;
                while ((c = rest.read()) != -1) {
                    if (!Character.isWhitespace(c)) {
                        more.complete(true);
                        return;
                    }
                }
                more.complete(false);
            } catch (IOException | RuntimeException e) {
                more.complete(false);
            }
        }, "jwtgate-pasted-lines");
        peek.setDaemon(true);
        peek.start();
        boolean moreLines;
        try {
            moreLines = more.get(PASTED_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            moreLines = false; // nothing already there: a token typed at a terminal ends with its Enter
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.usage("Interrupted while reading the token from standard input (nothing was done)");
        } catch (ExecutionException e) {
            moreLines = false;
        }
        if (moreLines) {
            throw moreThanOneLine();
        }
    }

    /**
     * A file of several tokens ({@code revoke-token - < leaked-tokens.txt}) would have its first revoked and the others
     * left valid without a word. What follows the first line is read: a second token, or any text but blank lines,
     * refuses them all. From a file or a pipe that is everything up to its end, also what a pipe's writer sends a
     * moment later ({@code kubectl logs … | grep}); at a terminal only what is already there (a paste of several
     * lines), since a token typed there ends with its Enter.
     */
    private static void refuseMoreLines(BufferedReader reader, boolean terminal) throws IOException {
        int read = 0;
        int c;
        while ((!terminal || reader.ready()) && (c = reader.read()) != -1) {
            if (!Character.isWhitespace(c)) {
                throw moreThanOneLine();
            }
            if (++read > MAX_BLANK_CHARS) {
                // Not read to its end: a second token may follow the blank lines, and must not be left valid unseen.
                throw CliException.usage("Standard input goes on for more than " + MAX_BLANK_CHARS + " blank characters after"
                        + " the token: give the token alone (nothing was done)");
            }
        }
    }

    /** The refusal of a second line, whether a file, a pipe or a terminal paste brought it. */
    private static CliException moreThanOneLine() {
        return CliException.usage("Standard input holds more than one line, and the command takes one token:"
                + " run it once per token (nothing was done)");
    }

    private static String firstLine(CliEnvironment environment) {
        Console console = environment.inputIsTerminal() ? System.console() : null;
        if (console != null) {
            return hiddenLine(console::readPassword, console.reader());
        }
        try {
            // UTF-8, so a byte-order mark (Notepad's "UTF-8 with BOM") reads as one character, dropped by read(); a token
            // holds only ASCII, so any other non-ASCII character still makes it malformed.
            BufferedReader reader = new BufferedReader(new InputStreamReader(environment.in(), StandardCharsets.UTF_8));
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = reader.read()) != -1 && c != '\n') {
                if (line.length() >= MAX_LINE_CHARS) {
                    throw CliException.usage("The token read from standard input is longer than " + MAX_LINE_CHARS + " characters");
                }
                line.append((char) c);
            }
            // UTF-16 (PowerShell 5's `>`, Notepad's "Unicode"): its mark reads as two U+FFFD, its high bytes as NULs,
            // and "more than one line" or MALFORMED would say nothing of why.
            if (line.indexOf("\0") >= 0 || line.indexOf("\uFFFD\uFFFD") == 0) {
                throw CliException.usage("Standard input is UTF-16 text (as PowerShell 5's > and Notepad's \"Unicode\""
                        + " write); save the token as UTF-8 or ASCII (nothing was done)");
            }
            if (c == '\n') {
                refuseMoreLines(reader, environment.inputIsTerminal());
            }
            return line.toString();
        } catch (IOException e) {
            throw CliException.usage("Cannot read the token from standard input: " + e.getClass().getSimpleName());
        }
    }
}
