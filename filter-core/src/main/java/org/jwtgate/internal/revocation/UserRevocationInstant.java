package org.jwtgate.internal.revocation;

/**
 * Reads a user entry's stored value ({@code <prefix>{<sub>}:user}) as the revoke-user script does, so that the
 * checks, the near-cache and the script agree on what is an instant. The script counts a value as a number only when
 * it is at most 19 characters of an optional sign and ASCII digits; anything else was written by hand and bans the
 * user: the script keeps it, and every token of the user is refused. {@link Long#parseLong} alone reads more
 * ({@code 00000000000000000000}, {@code -9223372036854775808}, non-ASCII digits): such a value, which the script never
 * replaces, read as a small number refused none of the user's tokens, for good.
 */
public final class UserRevocationInstant {

    /** What a ban reads as: every token was issued at or before it. */
    public static final long BAN = Long.MAX_VALUE;
    /** The script's {@code #value <= 19}. */
    private static final int MAX_CHARACTERS = 19;

    private UserRevocationInstant() {
    }

    /**
     * Whether a user revocation at {@code revokedAtMillis} covers a token issued at {@code issuedAt}: issued at or
     * before it (compared in whole milliseconds, as stored), or without {@code iat}, which cannot prove it is newer, or
     * under a {@link #BAN}. Compared as instants: {@code toEpochMilli()} of an {@code iat} an application built past
     * the epoch-millisecond range (a hand-made JwtPrincipal or TokenRef) threw ArithmeticException out of the check.
     */
    public static boolean covers(java.time.Instant issuedAt, long revokedAtMillis) {
        return issuedAt == null || revokedAtMillis == BAN
                || issuedAt.isBefore(java.time.Instant.ofEpochMilli(revokedAtMillis).plusMillis(1));
    }

    /**
     * @param value the stored value
     * @return the instant in epoch milliseconds, or {@link #BAN} for a value that is not one
     */
    public static long millis(String value) {
        int n = value.length();
        if (n == 0 || n > MAX_CHARACTERS) {
            return BAN;
        }
        int start = value.charAt(0) == '+' || value.charAt(0) == '-' ? 1 : 0;
        if (start == n) {
            return BAN;
        }
        for (int i = start; i < n; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return BAN;
            }
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return BAN; // 19 digits beyond a long: the script reads ~1e19, later than any instant, and keeps it
        }
    }
}
