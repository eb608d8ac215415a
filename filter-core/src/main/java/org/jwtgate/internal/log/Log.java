package org.jwtgate.internal.log;

import java.lang.System.Logger.Level;
import org.jwtgate.internal.log.Log;

/**
 * JwtGate's loggers: the JDK's {@link System.Logger}, with SLF4J-style {@code {}} placeholders.
 * Why the JDK's and not SLF4J's: neither Tomcat nor Jetty gives a web application an SLF4J
 * provider, so SLF4J calls from a WAR without one are dropped, while {@code System.Logger} goes to
 * java.util.logging by default, which Tomcat (JULI) writes to its logs and Jetty to its console
 * log. An application that wants JwtGate's lines in its own SLF4J setup adds
 * {@code org.slf4j:slf4j-jdk-platform-logging}, which routes {@code System.Logger} to SLF4J.
 *
 * <p>It is a {@link System.Logger} itself only so that the JDK skips its frames when it looks for the
 * caller: the container's log then names the JwtGate class that logged, not this one.
 *
 * <p>Never pass a token or a secret: callers log identities ({@code sub}, {@code jti}) and fixed texts.
 */
public final class Log implements System.Logger {

    private final System.Logger logger;

    private Log(System.Logger logger) {
        this.logger = logger;
    }

    /** The logger named after {@code type}'s fully qualified name. */
    public static Log of(Class<?> type) {
        return named(type.getName());
    }

    /** A logger with a chosen name, such as {@code org.jwtgate.audit}. */
    public static Log named(String name) {
        return new Log(ownLogger(name));
    }

    /**
     * The JDK's logger {@code name}, created with JwtGate's own class loader as the thread's context class loader.
     * Tomcat's JULI (ClassLoaderLogManager) files a logger under the context class loader of the thread that creates it,
     * and resets that loader's loggers, handlers included, when it stops: a JwtGate in {@code $CATALINA_BASE/lib} (the
     * Jakarta Authentication module registered for the whole container) created its loggers in a class's static
     * initialiser on a request thread of whichever application came first, and lost its audit file, and every line of
     * its audit trail, when that application was reloaded. Filed under the class loader that holds JwtGate, they live as
     * long as it does; in a WAR that is the application's own, as before.
     */
    private static System.Logger ownLogger(String name) {
        ClassLoader own = Log.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        if (own == null || own == context) {
            return System.getLogger(name);
        }
        thread.setContextClassLoader(own);
        try {
            return System.getLogger(name);
        } finally {
            thread.setContextClassLoader(context);
        }
    }

    /**
     * Loads every class that formatting a line needs, by formatting one that holds a token, a token glued to other
     * characters and characters written escaped: for code that must still log after its application's class loader
     * closed (Jetty closes it as it stops a context, with requests still inside).
     */
    public static void loadClasses() {
        format("{} {} {}", "GET /static/app.min.js \u202e\n", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
                "xeyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
        AuditLog.loadClasses();
    }

    @Override
    public String getName() {
        return logger.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return logger.isLoggable(level);
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String message, Throwable thrown) {
        logger.log(level, bundle, message, thrown);
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String format, Object... parameters) {
        logger.log(level, bundle, format, parameters);
    }

    public boolean isDebugEnabled() {
        return logger.isLoggable(Level.DEBUG);
    }

    public void debug(String pattern, Object... arguments) {
        emit(Level.DEBUG, pattern, arguments);
    }

    public void info(String pattern, Object... arguments) {
        emit(Level.INFO, pattern, arguments);
    }

    public void warn(String pattern, Object... arguments) {
        emit(Level.WARNING, pattern, arguments);
    }

    public void error(String pattern, Object... arguments) {
        emit(Level.ERROR, pattern, arguments);
    }

    /**
     * Writes a line its caller already escaped and bounded ({@link AuditLog}'s), whole: {@link #format}'s cap on one
     * argument would cut an audit line whose values needed many escapes, losing its last fields and its closing
     * quote. Control characters are still escaped, so nothing can start a line of its own.
     */
    void whole(Level level, String line) {
        if (logger.isLoggable(level)) {
            StringBuilder out = new StringBuilder(line.length());
            appendPrintable(out, line, Integer.MAX_VALUE);
            logger.log(level, out.toString());
        }
    }

    private void emit(Level level, String pattern, Object[] arguments) {
        if (!logger.isLoggable(level)) {
            return;
        }
        Throwable thrown = null;
        int used = placeholders(pattern);
        if (arguments.length > used && arguments[arguments.length - 1] instanceof Throwable t) {
            thrown = t; // SLF4J's convention: a Throwable past the placeholders is the cause
        }
        String message = format(pattern, arguments);
        if (thrown != null) {
            logger.log(level, message, thrown);
        } else {
            logger.log(level, message);
        }
    }

    private static int placeholders(String pattern) {
        int count = 0;
        for (int i = pattern.indexOf("{}"); i >= 0; i = pattern.indexOf("{}", i + 2)) {
            count++;
        }
        return count;
    }

    /** Replaces each {@code {}} with the next argument, in order; extra placeholders stay as they are. */
    static String format(String pattern, Object... arguments) {
        if (arguments.length == 0) {
            return pattern;
        }
        StringBuilder out = new StringBuilder(pattern.length() + 32 * arguments.length);
        int from = 0;
        int next = 0;
        for (int i = pattern.indexOf("{}"); i >= 0 && next < arguments.length; i = pattern.indexOf("{}", from)) {
            out.append(pattern, from, i);
            appendArgument(out, String.valueOf(arguments[next++]));
            from = i + 2;
        }
        return out.append(pattern, from, pattern.length()).toString();
    }

    /**
     * A character written escaped (backslash, {@code u}, four hex digits) in log and audit lines: control characters and line separators,
     * which could start a forged line, and Unicode's directional embeddings, overrides and isolates, which
     * reorder how the rest of a line reads.
     */
    public static boolean needsEscape(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f' || c == '\u061c'; // the implicit marks reorder a line too
    }

    /**
     * {@link #needsEscape(char)}; half of no surrogate pair: a UTF-8 log writes it as {@code ?}, which names another
     * user (a {@code sub} of "a" and U+D800 written "a?"); or what shows nothing or a plain space, and so passes for
     * another user's name: an invisible character (a zero-width space, a joiner, a byte-order mark, a tag character) or a
     * space other than U+0020; or U+FFFD. The admin CLI prints them so.
     */
    static boolean needsEscape(String text, int i) {
        char c = text.charAt(i);
        if (needsEscape(c)) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
                    || isInvisible(Character.toCodePoint(c, text.charAt(i + 1)));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1))
                    || isInvisible(Character.toCodePoint(text.charAt(i - 1), c));
        }
        // U+FFFD stands for bytes a decoder could not read (an argument of a JVM without a UTF-8 locale): written as
        // its code, as the admin CLI writes it, it is not taken for the character those bytes were.
        return isInvisible(c) || (c != ' ' && Character.getType(c) == Character.SPACE_SEPARATOR) || c == '\uFFFD';
    }

    /**
     * A format character (the joiners U+200C and U+200D too: "admin" and U+200D reads as admin), another of Unicode's
     * default ignorables (the combining grapheme joiner, Hangul fillers, variation selectors, Mongolian ones, unassigned
     * ones) or the Braille blank: as the admin CLI's {@code Printable} prints them.
     */
    static boolean isInvisible(int codePoint) {
        return Character.getType(codePoint) == Character.FORMAT || codePoint == 0x034f || codePoint == 0x115f
                || codePoint == 0x1160 || codePoint == 0x17b4 || codePoint == 0x17b5
                || (codePoint >= 0x180b && codePoint <= 0x180f) || codePoint == 0x2800 || codePoint == 0x3164
                || (codePoint >= 0xfe00 && codePoint <= 0xfe0f) || codePoint == 0xffa0 || codePoint == 0x2065
                || (codePoint >= 0xfff0 && codePoint <= 0xfff8) || (codePoint >= 0xe0000 && codePoint <= 0xe0fff);
    }

    /**
     * {@code text} with what {@link #needsEscape(String, int)} names written as escapes: a setting's name with a
     * byte-order mark or a no-break space read as the name it resembles ("did you mean [jwt.audience]?" of itself).
     */
    public static String escapedInvisibles(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        appendWithEscapes(out, text, text.length());
        return out.toString();
    }

    /** Appends {@code text} up to {@code end}, what {@link #needsEscape(String, int)} names written as escapes. */
    private static void appendWithEscapes(StringBuilder out, String text, int end) {
        for (int i = 0; i < end; i++) {
            if (needsEscape(text, i)) {
                appendEscaped(out, text.charAt(i));
            } else {
                out.append(text.charAt(i));
            }
        }
    }

    /** Appends {@code c} as a backslash, {@code u} and four lower-case hex digits. */
    public static void appendEscaped(StringBuilder out, char c) {
        out.append("\\u").append(Character.forDigit(c >> 12 & 0xf, 16)).append(Character.forDigit(c >> 8 & 0xf, 16))
                .append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
    }

    /**
     * An argument with each compact JWS or JWE in it written {@code (a token, not shown)}, as the audit trail does (a
     * request's path may carry one, {@code /reset/eyJ…}, a magic link, and every refusal and 503 line names the path),
     * cut at {@link #MAX_ARGUMENT_LENGTH}. Scanned as far as it is shown and a token's length beyond, by the audit
     * trail's rule: a run of token characters longer still is not shown from its start, as a token there would not be
     * told (a 27,000-character one in a path showed its first 8 KiB).
     */
    private static void appendArgument(StringBuilder out, String text) {
        int scanned = AuditLog.scanEnd(text, MAX_ARGUMENT_LENGTH + TOKEN_SCAN_MARGIN);
        String masked = AuditLog.withoutTokens(text.substring(0, scanned));
        if (scanned == text.length()) {
            appendPrintable(out, masked, MAX_ARGUMENT_LENGTH);
            return;
        }
        int end = cutEnd(masked, MAX_ARGUMENT_LENGTH);
        appendWithEscapes(out, masked, end);
        out.append(cutMark(masked.length() - end + text.length() - scanned));
    }

    /** How far past the cut a token is still looked for: one that begins before it is masked whole. */
    private static final int TOKEN_SCAN_MARGIN = 16 * 1024;

    /** Longest argument written whole (the start-up line's settings run to ~2,000): a bound on what a client sends. */
    static final int MAX_ARGUMENT_LENGTH = 8192;

    /**
     * Appends an argument with line breaks and other control characters escaped ({@code \u000a}), so that
     * text a client chose (a decoded path, a header) can never start a forged line in the container's log.
     */
    private static void appendPrintable(StringBuilder out, String text, int maxLength) {
        int end = cutEnd(text, maxLength);
        appendWithEscapes(out, text, end);
        if (end < text.length()) {
            out.append(cutMark(text, end));
        }
    }

    /**
     * Where a value longer than {@code maxLength} is cut ({@code text.length()} when it is not): never between the
     * halves of a surrogate pair, whose first half alone a UTF-8 log would write as {@code ?}.
     */
    static int cutEnd(String text, int maxLength) {
        if (text.length() <= maxLength) {
            return text.length();
        }
        return Character.isHighSurrogate(text.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
    }

    /**
     * The name a log, audit or health line gives an exception by: its class's simple name, or its full one when it has
     * none (an application's anonymous class, whose simple name is empty).
     */
    public static String className(Throwable e) {
        String simple = e.getClass().getSimpleName();
        return simple.isEmpty() ? e.getClass().getName() : simple;
    }

    /** What a value cut at {@code end} is written with in place of the rest. */
    static String cutMark(String text, int end) {
        return cutMark(text.length() - end);
    }

    /** What a value is written with in place of its last {@code more} characters. */
    static String cutMark(int more) {
        return "…(" + more + " more characters)";
    }
}
