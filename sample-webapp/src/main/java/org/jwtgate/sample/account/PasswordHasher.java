package org.jwtgate.sample.account;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 from the JDK: 16-byte random salt, 32-byte output, at least 600,000
 * iterations (OWASP 2023). Records look like {@code pbkdf2-sha256$600000$<salt>$<hash>} (base64),
 * so the iteration count can grow without invalidating old hashes. Comparison is constant-time.
 *
 * <p>Hashing is deliberately slow (~0.5 s here), so at most as many run at once as there are
 * cores; a request that cannot start one within {@link #QUEUE_WAIT_SECONDS} is turned away.
 */
public final class PasswordHasher {

    public static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    /** Bounds the work a stored record can demand (a corrupted record must not stall a thread for minutes). */
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int QUEUE_WAIT_SECONDS = 10;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();
    private final Semaphore slots = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);
    /** A valid record of a random password: checked against when the user is unknown, to take the same time. */
    private final String dummyRecord;

    public PasswordHasher(int iterations) {
        this.iterations = iterations;
        byte[] throwaway = new byte[24];
        random.nextBytes(throwaway);
        this.dummyRecord = hash(Base64.getEncoder().encodeToString(throwaway).toCharArray());
    }

    /** Thrown when every hashing slot stays busy: answered 503. */
    public static final class BusyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BusyException() {
            super("password hashing is saturated", null, false, false);
        }
    }

    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] derived = derive(password, salt, iterations);
        return SCHEME + "$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(derived);
    }

    /**
     * Whether {@code password} matches {@code record}; a null or malformed record costs the same and fails. A record
     * with fewer iterations than this hasher's costs as many as it does.
     */
    public boolean matches(char[] password, String record) {
        Parsed parsed = record == null ? null : Parsed.of(record);
        if (parsed == null) {
            matchesDummy(password);
            return false;
        }
        byte[] derived = derive(password, parsed.salt, parsed.iterations);
        if (parsed.iterations < iterations) {
            // A record made before the count was raised: spend the rest, else its quicker answer would tell this
            // user from an unknown one, whose dummy record costs the full count.
            derive(password, parsed.salt, iterations - parsed.iterations);
        }
        return MessageDigest.isEqual(derived, parsed.hash);
    }

    /** Spends the time of a real check, for an unknown user. */
    public void matchesDummy(char[] password) {
        Parsed parsed = Parsed.of(dummyRecord);
        MessageDigest.isEqual(derive(password, parsed.salt, parsed.iterations), parsed.hash);
    }

    public int iterations() {
        return iterations;
    }

    private byte[] derive(char[] password, byte[] salt, int rounds) {
        acquire();
        PBEKeySpec spec = new PBEKeySpec(password, salt, rounds, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret((KeySpec) spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
            slots.release();
        }
    }

    private void acquire() {
        try {
            if (!slots.tryAcquire(QUEUE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new BusyException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException();
        }
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
        static Parsed of(String record) {
            String[] parts = record.split("\\$");
            if (parts.length != 4 || !parts[0].equals(SCHEME)) {
                return null;
            }
            try {
                int rounds = Integer.parseInt(parts[1]);
                byte[] salt = Base64.getDecoder().decode(parts[2]);
                byte[] hash = Base64.getDecoder().decode(parts[3]);
                if (rounds < 1 || rounds > MAX_ITERATIONS || salt.length < 8 || hash.length != HASH_BITS / 8) {
                    return null;
                }
                return new Parsed(rounds, salt, hash);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}

