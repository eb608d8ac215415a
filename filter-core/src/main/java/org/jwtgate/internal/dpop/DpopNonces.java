package org.jwtgate.internal.dpop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-issued DPoP nonces (RFC 9449 §8, §9) without server state: a nonce is
 * {@code base64url(version ‖ issued-at ‖ HMAC-SHA256(dpop.nonce-secret, label ‖ version ‖ issued-at)[0..16))},
 * 34 characters. Any instance holding the same secret accepts it while it is younger than
 * {@code dpop.nonce-lifetime-seconds} (and not from the future beyond the clock skew); nothing is stored
 * and nothing is shared but the secret. Nonces rotate by themselves: each carries its issue time, and
 * {@link #check} says when one is half-way through its life, so the answer hands out a fresh one.
 *
 * <p>The nonce is not secret and not bound to a client: it proves "issued by us, recently", which is what
 * stops proofs signed in advance (RFC 9449 §11.2). Thread-safe.
 */
public final class DpopNonces {

    /** What a presented nonce is worth. */
    public enum Verdict {
        /** Valid and young. */
        FRESH,
        /** Valid, but older than half the lifetime: answer with a fresh one as well. */
        RENEW,
        MISSING,
        /** Issued by us, but too old (or from the future beyond the skew). */
        STALE,
        /** Not issued with this secret: wrong length, encoding, version or MAC. */
        INVALID
    }

    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 16;
    private static final int LENGTH = 1 + Long.BYTES + MAC_BYTES;
    /** base64url of {@link #LENGTH} bytes without padding (34): longer input is refused before decoding. */
    private static final int ENCODED_LENGTH = (LENGTH * 4 + 2) / 3;
    private static final byte[] LABEL = "jwtgate dpop nonce".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Mac prototype;
    private final long lifetimeSeconds;
    private final long skewSeconds;
    private final Clock clock;

    /**
     * @param secret          {@code dpop.nonce-secret}, at least 32 bytes
     * @param lifetimeSeconds {@code dpop.nonce-lifetime-seconds}
     * @param skewSeconds     {@code jwt.clock-skew-seconds}: how far the instances' clocks may differ
     */
    public DpopNonces(byte[] secret, int lifetimeSeconds, int skewSeconds, Clock clock) {
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("the nonce secret needs at least 32 bytes");
        }
        try {
            this.prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
        this.lifetimeSeconds = lifetimeSeconds;
        this.skewSeconds = skewSeconds;
        this.clock = clock;
    }

    /** A nonce issued now. */
    public String issue() {
        long now = clock.millis() / 1000;
        ByteBuffer nonce = ByteBuffer.allocate(LENGTH);
        nonce.put(VERSION).putLong(now).put(mac(VERSION, now), 0, MAC_BYTES);
        return ENCODER.encodeToString(nonce.array());
    }

    public Verdict check(String nonce) {
        if (nonce == null) {
            return Verdict.MISSING;
        }
        if (nonce.length() != ENCODED_LENGTH) {
            return Verdict.INVALID;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return Verdict.INVALID;
        }
        if (bytes.length != LENGTH || bytes[0] != VERSION) {
            return Verdict.INVALID;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.get();
        long issuedAt = buffer.getLong();
        byte[] presented = new byte[MAC_BYTES];
        buffer.get(presented);
        byte[] expected = new byte[MAC_BYTES];
        System.arraycopy(mac(VERSION, issuedAt), 0, expected, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(presented, expected)) {
            return Verdict.INVALID;
        }
        long age = clock.millis() / 1000 - issuedAt;
        if (age < -skewSeconds || age > lifetimeSeconds + skewSeconds) {
            return Verdict.STALE;
        }
        return age * 2 >= lifetimeSeconds ? Verdict.RENEW : Verdict.FRESH;
    }

    private byte[] mac(byte version, long issuedAt) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 of the JDK can be cloned", e);
        }
        mac.update(LABEL);
        mac.update(version);
        mac.update(ByteBuffer.allocate(Long.BYTES).putLong(issuedAt).array());
        return mac.doFinal();
    }
}
