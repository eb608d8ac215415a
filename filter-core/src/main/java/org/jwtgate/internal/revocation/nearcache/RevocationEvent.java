package org.jwtgate.internal.revocation.nearcache;

import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.internal.revocation.UserRevocationInstant;

/**
 * One revocation as the near-cache holds it: the Redis key (see {@link RevocationKeys}), its value
 * ({@code 1} for a token, the revocation instant in epoch milliseconds for a user) and the wall-clock
 * instant after which it no longer matters. Announcements and scanned keys both become events.
 *
 * <p>Wire form: {@code 1|<value>|<expiresAtMillis>|<key>}; the key comes last because it may hold any
 * character. Anyone allowed to publish on the channel can send anything: {@link #decode} refuses what
 * does not parse or names no revocation key.
 */
record RevocationEvent(String key, long value, long expiresAtMillis) {

    private static final String VERSION = "1";

    String encode() {
        return VERSION + "|" + value + "|" + expiresAtMillis + "|" + key;
    }

    /** The event, or null when the message is malformed or names no revocation key under {@code prefix}. */
    static RevocationEvent decode(String message, String prefix) {
        if (message == null || !message.startsWith(VERSION + "|")) {
            return null;
        }
        int valueEnd = message.indexOf('|', 2);
        int expiryEnd = valueEnd < 0 ? -1 : message.indexOf('|', valueEnd + 1);
        if (expiryEnd < 0) {
            return null;
        }
        try {
            long value = Long.parseLong(message, 2, valueEnd, 10);
            long expiresAt = Long.parseLong(message, valueEnd + 1, expiryEnd, 10);
            String key = message.substring(expiryEnd + 1);
            return isRevocationKey(key, prefix) ? new RevocationEvent(key, value, expiresAt) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A key found in Redis with its value and remaining lifetime (PTTL: -1 none, -2 gone), or null when
     * it is not a revocation (an allowlist registration, another application's key) or already gone.
     */
    static RevocationEvent ofStored(String key, String value, long ttlMillis, long nowMillis, String prefix) {
        if (value == null || ttlMillis == -2 || !isRevocationKey(key, prefix)) {
            return null;
        }
        // Saturated: a huge TTL (set by hand) must not wrap into the past.
        long expiresAt = ttlMillis < 0 || ttlMillis > Long.MAX_VALUE - nowMillis ? Long.MAX_VALUE : nowMillis + ttlMillis;
        // A user entry not written by JwtGate refuses every token of the user (fail closed), as the checks read it.
        return new RevocationEvent(key, UserRevocationInstant.millis(value), expiresAt);
    }

    /** {@code <prefix>{<sub>}:user} or {@code <prefix>{<sub>}:jti:<iss>:<jti>}; encoded subjects hold no brace. */
    static boolean isRevocationKey(String key, String prefix) {
        if (!key.startsWith(prefix) || key.length() <= prefix.length() || key.charAt(prefix.length()) != '{') {
            return false;
        }
        int close = key.indexOf('}', prefix.length());
        return close > 0 && (key.startsWith(":jti:", close + 1)
                || (key.length() == close + 6 && key.startsWith(":user", close + 1)));
    }
}
