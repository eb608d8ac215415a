package org.jwtgate.internal.revocation.redis;

import java.util.List;
import java.util.regex.Pattern;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Tells Redis refusing the configured user (WRONGPASS, NOAUTH, NOPERM: its password or its ACL rights; a password
 * given where the default user needs none) from Redis
 * not answering, and words the refusal for a health answer: Redis's own sentence (it names a command, or says
 * "keys", never a key or a password; the user's name, which Redis 7.2+ gives, is left out), cut before any script
 * reference. Also tells Redis refusing writes while it answers reads ({@link #ofWrite(Throwable)}).
 */
final class AccessRefusal {

    /** Redis's answer when a script calls a command the user may not run (Redis 6.2 and 7 word it so). */
    private static final String SCRIPT_COMMAND_REFUSED = "can't run this command";
    /**
     * Redis 6+'s answer to AUTH with a password when its default user needs none: a plain ERR, not WRONGPASS, but
     * as much a refusal of redis.password (the CLI's exit 2 too). Redis writes the word {@code <password>}, not it.
     */
    private static final String NO_PASSWORD_CONFIGURED = "called without any password configured";
    private static final int MAX_LENGTH = 120;
    /**
     * From Redis 7.2 on a NOPERM names the user ("NOPERM User jwtgate has no permissions to run the 'mget' command");
     * 6.2 and 7.0 say "this user". A user name contains no space (Redis refuses one).
     */
    private static final Pattern NAMED_USER = Pattern.compile("\\bUser \\S+ has no permissions");

    /**
     * The error codes with which Redis 6 and 7 refuse a write while answering reads, none of which a retry changes
     * while it lasts: {@code OOM} (used memory over {@code maxmemory} under {@code noeviction}), {@code NOREPLICAS}
     * (fewer good replicas than {@code min-replicas-to-write}), {@code MISCONF} (an RDB snapshot failing under
     * {@code stop-writes-on-bgsave-error}, or an AOF write failing), {@code READONLY} (a replica, e.g. an old master
     * come back as one at a fixed address). Not {@code LOADING}, {@code MASTERDOWN}, {@code TRYAGAIN}: they pass within
     * moments, and the runner retries them.
     */
    private static final List<String> WRITE_REFUSAL_CODES = List.of("OOM", "NOREPLICAS", "MISCONF", "READONLY");
    /** How Redis 6 wraps an error a script's {@code redis.call} met: "ERR Error running script (...): ...: -CODE text". */
    private static final String SCRIPT_ERROR = "ERR Error running script";

    private AccessRefusal() {
    }

    /**
     * Redis's refusal of a write in {@code failure} or its causes, in words (its code first, then its first sentence,
     * cut before any script reference), or null when the failure is no such refusal (an outage, an ACL refusal, a
     * transient answer).
     */
    static String ofWrite(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (!(t instanceof JedisDataException) || message == null) {
                continue;
            }
            for (String code : WRITE_REFUSAL_CODES) {
                if (message.startsWith(code + " ")) {
                    return firstSentence(words(message));
                }
                int wrapped = message.startsWith(SCRIPT_ERROR) ? message.indexOf(": -" + code + " ") : -1;
                if (wrapped > 0) {
                    return firstSentence(words(message.substring(wrapped + 3)));
                }
            }
        }
        return null;
    }

    /** MISCONF's answer goes on for four sentences: the first says what is wrong. */
    private static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end > 0 ? text.substring(0, end) : text;
    }

    /** The refusal in {@code failure} or its causes, in words; null when Redis did not refuse access. */
    static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof JedisAccessControlException && message != null) {
                return words(message);
            }
            if (t instanceof JedisDataException && message != null && message.contains(SCRIPT_COMMAND_REFUSED)) {
                return "NOPERM the user executing the script " + SCRIPT_COMMAND_REFUSED + " or subcommand";
            }
            if (t instanceof JedisDataException && message != null && message.contains(NO_PASSWORD_CONFIGURED)) {
                return "ERR AUTH <password> " + NO_PASSWORD_CONFIGURED + " for the default user";
            }
        }
        return null;
    }

    private static String words(String message) {
        String text = NAMED_USER.matcher(message).replaceFirst("this user has no permissions");
        int script = text.indexOf(" script:");
        if (script > 0) {
            text = text.substring(0, script);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        String trimmed = out.toString().trim();
        return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
