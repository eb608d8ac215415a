package org.jwtgate.internal.revocation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jwtgate.internal.collect.TwoGenerationMap;
import org.jwtgate.revocation.TokenRef;

/**
 * The key schema, shared by every store and documented for operators. All keys of one user
 * share the hash tag {@code {<sub>}}, so a token check reads one slot on one node:
 * <ul>
 *   <li>{@code <prefix>{<sub>}:user} → epoch millis: tokens of sub issued at or before it are refused</li>
 *   <li>{@code <prefix>{<sub>}:jti:<iss>:<jti>} → {@code 1}: this token is refused (denylist)</li>
 *   <li>{@code <prefix>{<sub>}:live:<iss>:<jti>} → {@code 1}: this token is accepted (allowlist)</li>
 * </ul>
 * and, outside the revocation keys (so the near-cache's scans, <code>&lt;prefix&gt;{*</code>, skip them) but in the
 * same slot:
 * <ul>
 *   <li>{@code <prefix>dpop:{<sub>}:<jkt>:<jti-sha256>} → a random call id: this DPoP proof (of the key with
 *       thumbprint {@code jkt}) has been used; lives for the proof's window</li>
 * </ul>
 * and, in the key's slot, a token request's proof: {@code <prefix>dpop:token:{<jkt>}:<jti-sha256>} ({@link
 * #proofIdDigest}); and, never written,
 * the key health reads on each master, {@code <prefix>health:{<tag>}} ({@code tag} picks the slot), and with DPoP
 * {@code <prefix>dpop:health:{<tag>}}.
 * Components are percent-encoded ({@code % { } :}, control characters) so no value can forge another key
 * or hash tag; a lone UTF-16 surrogate is percent-encoded as its three WTF-8 bytes, so every key is valid
 * Unicode and reads back from Redis (UTF-8) as the very string built here.
 */
public final class RevocationKeys {

    private final String prefix;
    /**
     * The issuer last encoded, with its encoding. A deployment has one issuer or a few, and an issuer URL always
     * needs escaping (its {@code :}), which would otherwise build a new string on every revocation check.
     */
    private volatile Encoded lastIssuer = new Encoded("", "");

    private record Encoded(String raw, String encoded) {
    }

    /** Check keys remembered per token: two generations of at most this many each (a few MB at most). */
    static final int CHECK_KEYS_GENERATION = 4096;

    /**
     * The two keys a denylist check reads for a token, built once per token and remembered, so a token seen
     * again (a client sends the same one until it expires) costs no string building and no hashing: the
     * strings keep their hash codes. Bounded like the verified-token cache: two generations, the old one
     * dropped whole when the young one is full.
     */
    private final TwoGenerationMap<TokenRef, CheckKeys> rememberedCheckKeys = new TwoGenerationMap<>(CHECK_KEYS_GENERATION);

    /** {@code <prefix>{<sub>}:user} and {@code <prefix>{<sub>}:jti:<iss>:<jti>} of one token. */
    public record CheckKeys(String user, String token) {
    }

    public RevocationKeys(String prefix) {
        this.prefix = prefix;
    }

    /** {@link #userKey} of the token's subject and {@link #tokenKey}, remembered for tokens checked before. */
    public CheckKeys checkKeys(TokenRef token) {
        CheckKeys keys = rememberedCheckKeys.get(token);
        if (keys == null) {
            keys = new CheckKeys(userKey(token.subject()), tokenKey(token));
            rememberedCheckKeys.put(token, keys);
        }
        return keys;
    }

    public String userKey(String subject) {
        return prefix + "{" + tag(subject) + "}:user";
    }

    public String tokenKey(TokenRef token) {
        return prefix + "{" + tag(token.subject()) + "}:jti:" + issuer(token.issuer()) + ":" + encode(token.tokenId());
    }

    public String liveKey(TokenRef token) {
        return prefix + "{" + tag(token.subject()) + "}:live:" + issuer(token.issuer()) + ":" + encode(token.tokenId());
    }

    /** The one-time record of a DPoP proof: its {@code jti}, per key, in the user's slot. */
    public String proofKey(String subject, String keyThumbprint, String proofId) {
        return prefix + "dpop:{" + tag(subject) + "}:" + encode(keyThumbprint) + ":" + proofIdDigest(proofId);
    }

    /**
     * A proof's {@code jti} as its record names it: the SHA-256 of its encoding, in base64url (43 characters). The
     * {@code jti} is the sender's choice, up to 256 characters that the encoding may triple (and one outside Latin-1
     * doubles a Java string's bytes): a record keyed on it was up to 9 times the size of one keyed on a UUID, in Redis
     * and within the memory store's bound, and anyone holding a key can send such proofs.
     */
    public static String proofIdDigest(String proofId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(encode(proofId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The one-time record of a token request's DPoP proof: its {@code jti}, per key, in the key's slot. Not
     * per user: at a token endpoint the user is only what the caller claims, so a record per user would let a
     * captured proof be used once more with each other username.
     */
    public String tokenRequestProofKey(String keyThumbprint, String proofId) {
        return prefix + "dpop:token:{" + encode(keyThumbprint) + "}:" + proofIdDigest(proofId);
    }

    /**
     * The key health's probe of the DPoP proof records names (never written: the probe only asks whether the record's
     * commands would be allowed on it), under {@code <prefix>dpop:} as every proof record, in the slot of {@code slotTag}.
     */
    public String proofProbeKey(String slotTag) {
        return prefix + "dpop:health:{" + slotTag + "}";
    }

    /** The key health's probe reads (never written), in the slot of the hash tag {@code slotTag}. */
    public String probeKey(String slotTag) {
        return prefix + "health:{" + slotTag + "}";
    }

    /**
     * The key health's probe of the revocations' rights names, never written: among the revocations' own keys
     * ({@code <prefix>{<tag>}:…}), so that an ACL's key patterns answer for it as for theirs.
     */
    public String writeProbeKey(String slotTag) {
        return prefix + "{" + slotTag + "}:health";
    }

    /**
     * The hash tag of a subject's keys. Redis ignores an empty tag ({@code {}}) and hashes the whole key, which
     * would put one user's keys in different slots (every check then fails with CROSSSLOT): an empty subject
     * is tagged {@code %}, which no encoded value can be ({@code %} itself is always escaped).
     */
    private static String tag(String subject) {
        return subject.isEmpty() ? "%" : encode(subject);
    }

    /** {@code encode(issuer)}, remembered for the last issuer seen. */
    private String issuer(String issuer) {
        Encoded last = lastIssuer;
        if (last.raw().equals(issuer)) {
            return last.encoded();
        }
        Encoded fresh = new Encoded(issuer, encode(issuer));
        lastIssuer = fresh;
        return fresh.encoded();
    }

    public String prefix() {
        return prefix;
    }

    static String encode(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean special = c == '%' || c == '{' || c == '}' || c == ':' || c < 0x20;
            boolean lone = !special && Character.isSurrogate(c) && !isPaired(value, i);
            if (special || lone) {
                if (out == null) {
                    out = new StringBuilder(value.length() + 8).append(value, 0, i);
                }
                if (special) {
                    appendByte(out, c);
                } else {
                    // A lone surrogate (a JSON "\\ud800" escape) would reach Redis as '?' in UTF-8, so the key
                    // read back from Redis (scans, announcements) would differ from the one built here. Its
                    // three bytes in WTF-8 instead: no valid UTF-8 text holds them, and '%' is escaped.
                    appendByte(out, 0xE0 | (c >> 12));
                    appendByte(out, 0x80 | ((c >> 6) & 0x3F));
                    appendByte(out, 0x80 | (c & 0x3F));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }

    /** Whether the surrogate at {@code i} is half of a valid pair. */
    private static boolean isPaired(String value, int i) {
        char c = value.charAt(i);
        return Character.isHighSurrogate(c)
                ? i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }

    private static void appendByte(StringBuilder out, int b) {
        out.append('%').append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
}
