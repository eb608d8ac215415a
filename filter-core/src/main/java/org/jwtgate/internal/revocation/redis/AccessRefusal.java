package org.jwtgate.internal.revocation.redis;

import java.util.regex.Pattern;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Tells Redis refusing the configured user (WRONGPASS, NOAUTH, NOPERM: its password or its ACL rights; a password
 * given where the default user needs none) from Redis
 * not answering, and words the refusal for a health answer: Redis's own sentence (it names a command, or says
 * "keys", never a key or a password; the user's name, which Redis 7.2+ gives, is left out), cut before any script
 * reference.
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

    private AccessRefusal() {
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
