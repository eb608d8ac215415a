package org.jwtgate.internal.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import org.jwtgate.internal.collect.TwoGenerationMap;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/**
 * Remembers tokens that verified, so a token seen again skips parsing and the signature check
 * (ES256 costs ~1.3 ms on JDK 17). Keyed by the token's SHA-256, not the string: a lookup must
 * not compare secret strings character by character. Bounded by two generations of at most
 * {@code capacity / 2} entries each ({@link TwoGenerationMap}): when the young one fills, the old one is
 * dropped whole.
 * A hit is still refused once the token has expired or grown older than {@code jwt.max-age-seconds}, and while its
 * {@code nbf} or {@code iat} lies beyond the skew ahead (the wall clock stepped back since it was verified);
 * revocation is checked by the caller on every request, cached or not. Each entry remembers the key
 * epoch it was verified in ({@link JwtVerifier#keyEpoch()}): once a JWKS refresh has withdrawn a key,
 * entries of earlier epochs are misses, and their tokens are verified again against the keys held now.
 */
public final class VerifiedTokenCache {

    private final long clockSkewMillis;
    private final long clockSkewSeconds;
    /** How long after its iat a token is refused as too old: as jose4j, whose clock counts whole seconds. */
    private final long tooOldAfterIatMillis;
    private final Clock clock;
    private final TwoGenerationMap<Key, Entry> entries;

    /** A verified token's principal, the key epoch read before it was verified, and its nbf (Long.MIN_VALUE: none). */
    private record Entry(JwtPrincipal principal, long keyEpoch, long notBeforeSeconds) {
    }

    public VerifiedTokenCache(int capacity, int maxAgeSeconds, int clockSkewSeconds, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.clockSkewMillis = clockSkewSeconds * 1000L;
        this.clockSkewSeconds = clockSkewSeconds;
        this.tooOldAfterIatMillis = (maxAgeSeconds + clockSkewSeconds + 1L) * 1000L;
        this.clock = clock;
        this.entries = new TwoGenerationMap<>(Math.max(1, capacity / 2)); // 1: a generation of one each
    }

    /**
     * The principal of a token verified before, or null when unknown or verified in an earlier key epoch.
     *
     * @param keyEpoch {@link JwtVerifier#keyEpoch()} now
     * @throws InvalidTokenException EXPIRED, TOO_OLD, NOT_YET_VALID or ISSUED_IN_FUTURE when the verifier would refuse
     *                               the token by now: its {@code exp}, its {@code iat} and {@code jwt.max-age-seconds},
     *                               its {@code nbf} or its {@code iat} ahead, each with the skew
     */
    public JwtPrincipal get(Key key, long keyEpoch) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (entry.keyEpoch() != keyEpoch) {
            // A key was withdrawn since: the token's key may be the one, so it must be verified again.
            entries.remove(key);
            return null;
        }
        JwtPrincipal principal = entry.principal();
        long now = clock.millis();
        if (now >= principal.expiresAt().toEpochMilli() + clockSkewMillis) {
            entries.remove(key);
            throw new InvalidTokenException(Rejection.EXPIRED);
        }
        // exp may lie up to the skew beyond iat + max-age (LIFETIME_TOO_LONG allows it): the age ends first then.
        if (now >= principal.issuedAt().toEpochMilli() + tooOldAfterIatMillis) {
            entries.remove(key);
            throw new InvalidTokenException(Rejection.TOO_OLD);
        }
        // Verified while the clock ran ahead, and NTP stepped it back: refused as jose4j would, in whole seconds.
        long aheadBound = now / 1000L + clockSkewSeconds; // toward zero, as jose4j's NumericDate
        if (aheadBound < entry.notBeforeSeconds()) {
            entries.remove(key);
            throw new InvalidTokenException(Rejection.NOT_YET_VALID);
        }
        if (aheadBound < principal.issuedAt().getEpochSecond()) {
            entries.remove(key);
            throw new InvalidTokenException(Rejection.ISSUED_IN_FUTURE);
        }
        return principal;
    }

    /** @param keyEpoch {@link JwtVerifier#keyEpoch()} read before the token was verified */
    public void put(Key key, JwtPrincipal principal, long keyEpoch) {
        // nbf as jose4j reads it (a whole number of seconds); a verified token's nbf is a number no later than its exp.
        long notBefore = principal.claim("nbf") instanceof Number nbf ? nbf.longValue() : Long.MIN_VALUE;
        entries.put(key, new Entry(principal, keyEpoch, notBefore));
    }

    /** Entries held now, both generations (an entry may be counted twice while being promoted). */
    public int size() {
        return entries.size();
    }

    public static Key keyOf(String token) {
        return new Key(sha256(token));
    }

    /** SHA-256 of the token's ASCII bytes (the cache key, and DPoP's {@code ath}). */
    public static byte[] sha256(String token) {
        return Sha256Digests.digest(token.getBytes(StandardCharsets.US_ASCII));
    }

    /** A token's SHA-256, compared in constant time. */
    public static final class Key {
        private final byte[] digest;
        private final int hash;

        private Key(byte[] digest) {
            this.digest = digest;
            this.hash = (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && MessageDigest.isEqual(digest, that.digest);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "Key[" + Arrays.hashCode(digest) + "]";
        }
    }
}
