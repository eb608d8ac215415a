package org.jwtgate.sample.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Every Redis key the sample writes (JwtGate's revocation keys are the filter's business). Keys
 * that one script touches together share a hash tag, so they live in one cluster slot:
 * <ul>
 *   <li>{@code sample:account:{<user>}} hash: password record, roles</li>
 *   <li>{@code sample:login-failures:account:{<sha256(user)>}}, {@code …:address:{<ip>}}: counters</li>
 *   <li>{@code sample:family:{<fid>}} hash: sub, current refresh-token hash, revoked flag, DPoP key ({@code jkt}),
 *       and after a reuse {@code access-pending} until its access tokens are revoked, {@code revoking-until} and
 *       {@code revoking-owner} while one request revokes them;
 *       {@code sample:family:{<fid>}:rotated} set of rotated hashes; {@code sample:family:{<fid>}:access}
 *       hash jti → iat:exp:recorded of the access tokens the family issued that a server may still accept (16; up to 32
 *       while their revocation fails)</li>
 *   <li>{@code sample:user-families:{<user>}} set of family ids; {@code sample:revocations:{<user>}} hash:
 *       revocation id → its instant (the end of its time while it runs), for logins to wait past</li>
 * </ul>
 * A component that is not a plain name (a subject from a token, an address) is hashed or checked,
 * so no input can forge a hash tag.
 */
public final class SampleKeys {

    public static final String PREFIX = "sample:";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]{1,45}");

    private SampleKeys() {
    }

    public static String account(String username) {
        return PREFIX + "account:{" + tag(username) + "}";
    }

    public static String accountFailures(String username) {
        return PREFIX + "login-failures:account:{" + sha256Hex(username) + "}";
    }

    public static String addressFailures(String address) {
        return PREFIX + "login-failures:address:{" + (ADDRESS.matcher(address).matches() ? address : sha256Hex(address)) + "}";
    }

    public static String family(String familyId) {
        return PREFIX + "family:{" + tag(familyId) + "}";
    }

    public static String familyRotated(String familyId) {
        return family(familyId) + ":rotated";
    }

    public static String familyAccessTokens(String familyId) {
        return family(familyId) + ":access";
    }

    public static String userFamilies(String subject) {
        return PREFIX + "user-families:{" + tag(subject) + "}";
    }

    public static String userRevocations(String subject) {
        return PREFIX + "revocations:{" + tag(subject) + "}";
    }

    /** A plain value as it is (readable in redis-cli); anything else as its SHA-256. */
    private static String tag(String value) {
        return PLAIN.matcher(value).matches() ? value : "h-" + sha256Hex(value);
    }

    public static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
