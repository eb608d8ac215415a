package org.jwtgate.testkit.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A DPoP client's key pair (RFC 9449): signs proofs as a client would, and gives the thumbprint an
 * issuer puts in {@code cnf.jkt}. Every header member and claim of a proof can be changed, removed
 * or added, and a proof can be signed by another key than the one its {@code jwk} shows — for tests
 * that attack the verifier.
 *
 * <pre>{@code
 * DpopKey key = DpopKey.es256();
 * String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice"), key));   // cnf.jkt
 * String proof = key.proof("GET", "http://127.0.0.1:8080/api").accessToken(token).sign();
 * }</pre>
 *
 * @since 1.0.0
 */
public final class DpopKey {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final String algorithm;
    private final KeyPair pair;
    private final PublicJsonWebKey jwk;

    private DpopKey(String algorithm, KeyPair pair) {
        this.algorithm = algorithm;
        this.pair = pair;
        try {
            this.jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * P-256, ES256: what browsers' WebCrypto clients use most.
     *
     * @return a new key: each call generates a fresh key pair
     */
    public static DpopKey es256() {
        return new DpopKey("ES256", TestTokens.ecKeyPair("secp256r1"));
    }

    /**
     * Ed25519, signing as {@code alg: EdDSA}.
     *
     * @return a new key: each call generates a fresh key pair
     */
    public static DpopKey ed25519() {
        return new DpopKey("EdDSA", TestTokens.ed25519KeyPair());
    }

    /**
     * RSA 2048, RS256 (PKCS#1 v1.5 with SHA-256).
     *
     * @return a new key: each call generates a fresh key pair, which is slow for RSA (reuse it across tests)
     */
    public static DpopKey rs256() {
        return new DpopKey("RS256", TestTokens.rsaKeyPair());
    }

    /**
     * RSA 2048, PS256 (RSASSA-PSS with SHA-256, MGF1 SHA-256, 32-byte salt).
     *
     * @return a new key: each call generates a fresh key pair, which is slow for RSA (reuse it across tests)
     */
    public static DpopKey ps256() {
        return new DpopKey("PS256", TestTokens.rsaKeyPair());
    }

    /**
     * A key of the given JOSE algorithm: ES256, ES384, ES512, EdDSA, RS256 or PS256.
     *
     * @param algorithm the JOSE name, case-sensitive (ES384 on P-384, ES512 on P-521)
     * @return a new key with a fresh key pair
     * @throws IllegalArgumentException for any other name
     */
    public static DpopKey of(String algorithm) {
        return switch (algorithm) {
            case "ES256" -> es256();
            case "ES384" -> new DpopKey("ES384", TestTokens.ecKeyPair("secp384r1"));
            case "ES512" -> new DpopKey("ES512", TestTokens.ecKeyPair("secp521r1"));
            case "EdDSA" -> ed25519();
            case "RS256" -> rs256();
            case "PS256" -> ps256();
            default -> throw new IllegalArgumentException("No DPoP test key for " + algorithm);
        };
    }

    /**
     * The JOSE algorithm this key signs with: its proofs' {@code alg} header unless a test changes it.
     *
     * @return ES256, ES384, ES512, EdDSA, RS256 or PS256
     */
    public String algorithm() {
        return algorithm;
    }

    /**
     * The key pair itself, e.g. to sign a proof's bytes by hand.
     *
     * @return the pair, private key included (not a copy)
     */
    public KeyPair keyPair() {
        return pair;
    }

    /**
     * The public key as JWK members (kty, crv, x, y / n, e): the {@code jwk} header.
     *
     * @return a new map on each call: change it freely, e.g. to send an altered {@code jwk} header
     */
    public Map<String, Object> publicJwk() {
        return new LinkedHashMap<>(jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    /**
     * The public and private key as JWK members: a {@code jwk} header no client may send.
     *
     * @return a new map on each call, with the private members ({@code d}, and for RSA the CRT values)
     */
    public Map<String, Object> privateJwk() {
        return new LinkedHashMap<>(privateJwkOf(pair).toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
    }

    /**
     * RFC 7638 SHA-256 thumbprint, base64url: the {@code cnf.jkt} of tokens bound to this key.
     *
     * @return 43 base64url characters, without padding
     */
    public String thumbprint() {
        return jwk.calculateBase64urlEncodedThumbprint("SHA-256");
    }

    /**
     * Adds {@code cnf: {jkt: thumbprint}} to the claims and returns them.
     *
     * @param claims the access token's claims, e.g. {@link TestTokens#claims}; changed in place (a {@code cnf}
     *               already there is replaced)
     * @param key    the key the token is bound to: only its proofs are accepted with the token
     * @return {@code claims}, for {@code TestTokens.hs256(DpopKey.bind(claims, key))}
     */
    public static JwtClaims bind(JwtClaims claims, DpopKey key) {
        claims.setClaim("cnf", Map.of("jkt", key.thumbprint()));
        return claims;
    }

    /**
     * RFC 9449 §4.2: base64url(SHA-256(ASCII(access token))).
     *
     * @param accessToken the compact access token, as the request's {@code Authorization: DPoP} header carries it
     * @return the {@code ath} claim a proof for that token carries
     */
    public static String tokenHash(String accessToken) {
        try {
            return B64URL.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A valid proof's header and claims (fresh jti, iat now), ready to change before {@link Proof#sign()}.
     *
     * @param method the {@code htm} claim: the request's HTTP method, e.g. {@code "GET"}, taken as given
     * @param uri    the {@code htu} claim, taken as given: the request's URL without query and fragment for a valid
     *               proof
     * @return a new proof with {@code typ: dpop+jwt}, this key's {@code alg} and public {@code jwk} headers, and
     *         {@code jti} (a random UUID), {@code htm}, {@code htu} and {@code iat} claims; no {@code ath} until
     *         {@link Proof#accessToken}
     */
    public Proof proof(String method, String uri) {
        return new Proof(this, method, uri);
    }

    private static PublicJsonWebKey privateJwkOf(KeyPair pair) {
        try {
            PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            key.setPrivateKey(pair.getPrivate());
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof being built: header and claims as ordered maps of JSON values. Not thread-safe. */
    public static final class Proof {

        private final Map<String, Object> header = new LinkedHashMap<>();
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private DpopKey signer;
        private String signingAlgorithm;

        private Proof(DpopKey key, String method, String uri) {
            this.signer = key;
            this.signingAlgorithm = key.algorithm;
            header.put("typ", "dpop+jwt");
            header.put("alg", key.algorithm);
            header.put("jwk", key.publicJwk());
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("htm", method);
            claims.put("htu", uri);
            claims.put("iat", System.currentTimeMillis() / 1000);
        }

        /**
         * Adds {@code ath} for this access token.
         *
         * @param accessToken the compact access token the proof goes with (see {@link DpopKey#tokenHash})
         * @return this proof
         */
        public Proof accessToken(String accessToken) {
            claims.put("ath", tokenHash(accessToken));
            return this;
        }

        /**
         * Sets the {@code nonce} claim: what the server's {@code DPoP-Nonce} header asked for (after a
         * {@code use_dpop_nonce} answer).
         *
         * @param nonce the value, sent as given
         * @return this proof
         */
        public Proof nonce(String nonce) {
            claims.put("nonce", nonce);
            return this;
        }

        /**
         * Sets {@code iat}, by default the time {@link DpopKey#proof} was called: e.g. to date a proof outside the
         * verifier's window.
         *
         * @param epochSeconds seconds since the epoch, past or future
         * @return this proof
         */
        public Proof issuedAt(long epochSeconds) {
            claims.put("iat", epochSeconds);
            return this;
        }

        /**
         * Replaces the random {@code jti}, e.g. with another proof's to replay it.
         *
         * @param jti the value, sent as given
         * @return this proof
         */
        public Proof jti(String jti) {
            claims.put("jti", jti);
            return this;
        }

        /**
         * Sets a claim to a JSON value; {@code null} removes it.
         *
         * @param name  the claim's name, a standard one or any other
         * @param value a String, Number, Boolean, Map or List, written as JSON; {@code null} to remove the claim
         * @return this proof
         */
        public Proof claim(String name, Object value) {
            if (value == null) {
                claims.remove(name);
            } else {
                claims.put(name, value);
            }
            return this;
        }

        /**
         * Sets a header member to a JSON value; {@code null} removes it.
         *
         * @param name  the member's name, e.g. {@code alg}, {@code typ}, {@code jwk}
         * @param value a String, Number, Boolean, Map or List, written as JSON; {@code null} to remove the member.
         *              Changing {@code alg} does not change the algorithm {@link #sign()} uses
         * @return this proof
         */
        public Proof header(String name, Object value) {
            if (value == null) {
                header.remove(name);
            } else {
                header.put(name, value);
            }
            return this;
        }

        /**
         * Signs with another key (and its algorithm) while the header keeps showing this key's {@code jwk}.
         *
         * @param other the key whose private key and algorithm {@link #sign()} uses; the {@code alg} header is left
         *              as it is
         * @return this proof
         */
        public Proof signedBy(DpopKey other) {
            this.signer = other;
            this.signingAlgorithm = other.algorithm;
            return this;
        }

        /**
         * The proof's {@code jti}, e.g. to look for it in a replay cache.
         *
         * @return the current value; null once removed with {@link #claim}
         * @throws ClassCastException when {@link #claim} set it to something other than a String
         */
        public String jti() {
            return (String) claims.get("jti");
        }

        /**
         * The compact JWS, signed with the signer's private key for its algorithm.
         *
         * @return {@code header.claims.signature}; each call signs the header and claims as they are then, so two
         *         calls without a change give two proofs with one {@code jti}: a replay
         */
        public String sign() {
            String input = b64(JsonUtil.toJson(header)) + "." + b64(JsonUtil.toJson(claims));
            return input + "." + B64URL.encodeToString(signature(signingAlgorithm, signer.pair.getPrivate(), input));
        }

        /**
         * The header and claims with no signature at all (the {@code none} form).
         *
         * @return {@code header.claims.}, its third segment empty; the {@code alg} header is left as it is
         */
        public String unsigned() {
            return b64(JsonUtil.toJson(header)) + "." + b64(JsonUtil.toJson(claims)) + ".";
        }

        private static String b64(String json) {
            return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** JWS signature bytes: ECDSA in the R‖S form of RFC 7518 §3.4, not DER. */
    static byte[] signature(String algorithm, PrivateKey key, String input) {
        try {
            byte[] data = input.getBytes(StandardCharsets.US_ASCII);
            return switch (algorithm) {
                case "ES256", "ES384", "ES512" -> {
                    String hash = switch (algorithm) {
                        case "ES256" -> "SHA256";
                        case "ES384" -> "SHA384";
                        default -> "SHA512";
                    };
                    Signature signature = Signature.getInstance(hash + "withECDSAinP1363Format");
                    signature.initSign(key);
                    signature.update(data);
                    yield signature.sign();
                }
                case "EdDSA" -> sign("Ed25519", key, data);
                case "RS256" -> sign("SHA256withRSA", key, data);
                case "PS256" -> {
                    Signature signature = Signature.getInstance("RSASSA-PSS");
                    signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                    signature.initSign(key);
                    signature.update(data);
                    yield signature.sign();
                }
                default -> throw new IllegalArgumentException("cannot sign with " + algorithm);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(String javaAlgorithm, PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(javaAlgorithm);
        signature.initSign(key);
        signature.update(data);
        return signature.sign();
    }
}
