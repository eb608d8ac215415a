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

    /** P-256, ES256: what browsers' WebCrypto clients use most. */
    public static DpopKey es256() {
        return new DpopKey("ES256", TestTokens.ecKeyPair("secp256r1"));
    }

    public static DpopKey ed25519() {
        return new DpopKey("EdDSA", TestTokens.ed25519KeyPair());
    }

    public static DpopKey rs256() {
        return new DpopKey("RS256", TestTokens.rsaKeyPair());
    }

    public static DpopKey ps256() {
        return new DpopKey("PS256", TestTokens.rsaKeyPair());
    }

    /** A key of the given JOSE algorithm: ES256, ES384, ES512, EdDSA, RS256 or PS256. */
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

    public String algorithm() {
        return algorithm;
    }

    public KeyPair keyPair() {
        return pair;
    }

    /** The public key as JWK members (kty, crv, x, y / n, e): the {@code jwk} header. */
    public Map<String, Object> publicJwk() {
        return new LinkedHashMap<>(jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    /** The public and private key as JWK members: a {@code jwk} header no client may send. */
    public Map<String, Object> privateJwk() {
        return new LinkedHashMap<>(privateJwkOf(pair).toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
    }

    /** RFC 7638 SHA-256 thumbprint, base64url: the {@code cnf.jkt} of tokens bound to this key. */
    public String thumbprint() {
        return jwk.calculateBase64urlEncodedThumbprint("SHA-256");
    }

    /** Adds {@code cnf: {jkt: thumbprint}} to the claims and returns them. */
    public static JwtClaims bind(JwtClaims claims, DpopKey key) {
        claims.setClaim("cnf", Map.of("jkt", key.thumbprint()));
        return claims;
    }

    /** RFC 9449 §4.2: base64url(SHA-256(ASCII(access token))). */
    public static String tokenHash(String accessToken) {
        try {
            return B64URL.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid proof's header and claims (fresh jti, iat now), ready to change before {@link Proof#sign()}. */
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

    /** A proof being built: header and claims as ordered maps of JSON values. */
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

        /** Adds {@code ath} for this access token. */
        public Proof accessToken(String accessToken) {
            claims.put("ath", tokenHash(accessToken));
            return this;
        }

        public Proof nonce(String nonce) {
            claims.put("nonce", nonce);
            return this;
        }

        public Proof issuedAt(long epochSeconds) {
            claims.put("iat", epochSeconds);
            return this;
        }

        public Proof jti(String jti) {
            claims.put("jti", jti);
            return this;
        }

        /** Sets a claim to a JSON value; {@code null} removes it. */
        public Proof claim(String name, Object value) {
            if (value == null) {
                claims.remove(name);
            } else {
                claims.put(name, value);
            }
            return this;
        }

        /** Sets a header member to a JSON value; {@code null} removes it. */
        public Proof header(String name, Object value) {
            if (value == null) {
                header.remove(name);
            } else {
                header.put(name, value);
            }
            return this;
        }

        /** Signs with another key (and its algorithm) while the header keeps showing this key's {@code jwk}. */
        public Proof signedBy(DpopKey other) {
            this.signer = other;
            this.signingAlgorithm = other.algorithm;
            return this;
        }

        public String jti() {
            return (String) claims.get("jti");
        }

        /** The compact JWS, signed with the signer's private key for its algorithm. */
        public String sign() {
            String input = b64(JsonUtil.toJson(header)) + "." + b64(JsonUtil.toJson(claims));
            return input + "." + B64URL.encodeToString(signature(signingAlgorithm, signer.pair.getPrivate(), input));
        }

        /** The header and claims with no signature at all (the {@code none} form). */
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
