package org.jwtgate.internal.verify;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.InvalidKeyException;
import org.jose4j.lang.JoseException;
import org.jwtgate.config.SigningAlgorithm;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.internal.keys.EcPoints;
import org.jwtgate.internal.keys.EdwardsPoints;
import org.jwtgate.internal.keys.RsaExponent;
import org.jwtgate.internal.log.AuditLog;

/**
 * Reads a DPoP proof (RFC 9449 §4.2, §4.3) with jose4j: a compact JWS whose header has
 * {@code typ: dpop+jwt}, an {@code alg} of {@code dpop.algorithms} and a public {@code jwk} (EC, RSA
 * or OKP, without private members, fit for the {@code alg}); whose claims have {@code jti},
 * {@code htm}, {@code htu} and a numeric {@code iat}. {@link #parse} checks all of that, then
 * {@link Proof#verifySignature()} checks the signature with the {@code jwk} — the only place in
 * JwtGate where a key from a header is used, and only for the proof it came in.
 *
 * <p>Thread-safe; every refusal is an {@link InvalidDpopProofException}: no input escapes as another exception.
 */
public final class DpopProofParser {

    /** Longest proof read: an RSA-4096 {@code jwk} proof is about 1.5 KB. */
    public static final int MAX_LENGTH = 8192;
    /**
     * Longest {@code jti} accepted (RFC 9449 sets none): a unique identifier needs far less (a UUID has 36 characters),
     * and a bound keeps what is hashed for the replay record (which holds the jti's SHA-256, not the jti) and what an
     * audit line names small. Documented in docs/security.md (DPoP).
     */
    static final int MAX_JTI_LENGTH = 256;
    static final String TYPE = "dpop+jwt";

    /** The largest RSA proof key: 4096 bits, as large as keys are made for signing. */
    static final int MAX_RSA_MODULUS_BITS = 4096;
    /** The largest RSA public exponent: 32 bits (65537, the usual one, has 17). */
    static final int MAX_RSA_EXPONENT_BITS = 32;
    /** JWK members that only a private (or symmetric) key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037). */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private final Set<String> algorithms;
    private final AlgorithmConstraints constraints;

    /** @param algorithms {@code dpop.algorithms}: public-key algorithms only (the configuration refuses the others) */
    public DpopProofParser(List<SigningAlgorithm> algorithms) {
        for (SigningAlgorithm algorithm : algorithms) {
            if (algorithm.isHmac()) {
                throw new IllegalArgumentException("HMAC cannot sign a DPoP proof: " + algorithm);
            }
        }
        this.algorithms = Set.copyOf(algorithms.stream().map(Enum::name).toList());
        this.constraints = new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                algorithms.stream().map(Enum::name).toArray(String[]::new));
    }

    /**
     * Header, key and claims of a proof; the signature is not checked yet.
     *
     * @throws InvalidDpopProofException when any of them is wrong
     */
    public Proof parse(String proof) {
        if (proof == null || proof.isEmpty()) {
            throw new InvalidDpopProofException(DpopRejection.MALFORMED);
        }
        if (proof.length() > MAX_LENGTH) {
            throw new InvalidDpopProofException(DpopRejection.TOO_LONG);
        }
        if (!isThreeSegments(proof) || !JwsJsonSegments.areJson(proof)) {
            throw new InvalidDpopProofException(DpopRejection.MALFORMED);
        }
        try {
            return read(proof);
        } catch (InvalidDpopProofException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // Hostile input must never become a 500.
            throw new InvalidDpopProofException(DpopRejection.MALFORMED);
        }
    }

    private Proof read(String text) {
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setCompactSerialization(text);
        } catch (JoseException e) {
            throw new InvalidDpopProofException(DpopRejection.MALFORMED);
        }
        // typ: media types compare case-insensitively (RFC 7515 §4.1.9); "application/" may be omitted.
        Object type = jws.getHeaders().getObjectHeaderValue("typ");
        if (!(type instanceof String typ) || !(typ.equalsIgnoreCase(TYPE) || typ.equalsIgnoreCase("application/" + TYPE))) {
            throw new InvalidDpopProofException(DpopRejection.TYPE_INVALID);
        }
        Object alg = jws.getHeaders().getObjectHeaderValue("alg");
        if (!(alg instanceof String algorithm) || !algorithms.contains(algorithm)) {
            throw new InvalidDpopProofException(DpopRejection.ALGORITHM_NOT_ALLOWED);
        }
        if (ExtensionHeaders.present(jws.getHeaders())) {
            throw new InvalidDpopProofException(DpopRejection.UNSUPPORTED_HEADER);
        }
        PublicJsonWebKey jwk = publicKeyOf(jws.getHeaders().getObjectHeaderValue("jwk"), algorithm);
        JwtClaims claims;
        try {
            claims = JwtClaims.parse(jws.getUnverifiedPayload());
        } catch (InvalidJwtException e) {
            throw new InvalidDpopProofException(DpopRejection.MALFORMED);
        }
        String jti = string(claims, "jti");
        String htm = string(claims, "htm");
        String htu = string(claims, "htu");
        if (jti == null || htm == null || htu == null || !claims.hasClaim("iat")) {
            throw new InvalidDpopProofException(DpopRejection.CLAIM_MISSING);
        }
        if (jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw new InvalidDpopProofException(DpopRejection.CLAIM_MALFORMED);
        }
        long iat;
        try {
            NumericDate issuedAt = claims.getIssuedAt();
            if (issuedAt == null) {
                throw new InvalidDpopProofException(DpopRejection.CLAIM_MISSING);
            }
            iat = issuedAt.getValue();
        } catch (MalformedClaimException e) {
            throw new InvalidDpopProofException(DpopRejection.CLAIM_MALFORMED);
        }
        String ath = optionalString(claims, "ath");
        String nonce = optionalString(claims, "nonce");
        String thumbprint = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
        jws.setAlgorithmConstraints(constraints);
        jws.setKey(jwk.getPublicKey());
        return new Proof(jws, thumbprint, jti, htm, htu, iat, ath, nonce);
    }

    /** The {@code jwk} header as a public key of the {@code alg}'s family, with no private member. */
    private static PublicJsonWebKey publicKeyOf(Object header, String algorithm) {
        if (!(header instanceof Map<?, ?> members)) {
            throw new InvalidDpopProofException(DpopRejection.KEY_INVALID);
        }
        for (Object member : members.keySet()) {
            if (PRIVATE_MEMBERS.contains(member)) {
                throw new InvalidDpopProofException(DpopRejection.PRIVATE_KEY);
            }
        }
        Object kty = members.get("kty");
        SigningAlgorithm.Family family = SigningAlgorithm.byJoseName(algorithm).family();
        boolean fits = switch (family) {
            case EC -> "EC".equals(kty);
            case RSA -> "RSA".equals(kty);
            case EDDSA -> "OKP".equals(kty);
            case HMAC -> false;
        };
        if (!fits) {
            throw new InvalidDpopProofException(DpopRejection.KEY_INVALID);
        }
        try {
            @SuppressWarnings("unchecked")
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk((Map<String, Object>) members);
            PublicKey key = jwk.getPublicKey();
            if (key == null || jwk.getPrivateKey() != null || (key instanceof ECPublicKey ec && !EcPoints.isOnCurve(ec))
                    || (key instanceof RSAPublicKey rsa && (!isCheapToVerify(rsa) || !RsaExponent.isOdd(rsa)))
                    || (key instanceof EdECPublicKey ed && EdwardsPoints.isWeak(ed))) {
                throw new InvalidDpopProofException(DpopRejection.KEY_INVALID);
            }
            return jwk;
        } catch (JoseException e) {
            throw new InvalidDpopProofException(DpopRejection.KEY_INVALID);
        }
    }

    /**
     * The sender picks the proof's key, and an RSA check costs what the modulus and the public exponent make it:
     * a 16384-bit modulus, or a 3072-bit one with a 3069-bit exponent, costs 16-26 ms of CPU per proof against
     * 0.1 ms for a 2048-bit key with e = 65537. Bounded to what real keys use, a check costs at most a few times
     * that. (Below 2048 bits jose4j refuses the key itself.)
     */
    private static boolean isCheapToVerify(RSAPublicKey key) {
        return key.getModulus().bitLength() <= MAX_RSA_MODULUS_BITS
                && key.getPublicExponent().bitLength() <= MAX_RSA_EXPONENT_BITS;
    }

    private static String string(JwtClaims claims, String name) {
        Object value = claims.getClaimValue(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new InvalidDpopProofException(DpopRejection.CLAIM_MALFORMED);
        }
        return text;
    }

    private static String optionalString(JwtClaims claims, String name) {
        return string(claims, name);
    }

    /** Exactly three non-empty base64url segments, before any parsing. */
    private static boolean isThreeSegments(String proof) {
        int dots = 0;
        int segment = 0;
        for (int i = 0; i < proof.length(); i++) {
            char c = proof.charAt(i);
            if (c == '.') {
                if (segment == 0) {
                    return false;
                }
                dots++;
                segment = 0;
            } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                segment++;
            } else {
                return false;
            }
        }
        return dots == 2 && segment > 0;
    }

    /** A parsed proof: its key's thumbprint and claims, read before the signature is checked. */
    public static final class Proof {

        private final JsonWebSignature jws;
        private final String thumbprint;
        private final String jti;
        private final String htm;
        private final String htu;
        private final long issuedAt;
        private final String ath;
        private final String nonce;

        private Proof(JsonWebSignature jws, String thumbprint, String jti, String htm, String htu, long issuedAt,
                      String ath, String nonce) {
            this.jws = jws;
            this.thumbprint = thumbprint;
            this.jti = jti;
            this.htm = htm;
            this.htu = htu;
            this.issuedAt = issuedAt;
            this.ath = ath;
            this.nonce = nonce;
        }

        /**
         * Checks the signature with the {@code jwk} of the header, under {@code dpop.algorithms}.
         *
         * @throws InvalidDpopProofException {@link DpopRejection#SIGNATURE_INVALID}, or {@link DpopRejection#KEY_INVALID}
         *                                   for a key jose4j finds unfit for the algorithm (curve, RSA size)
         */
        public void verifySignature() {
            boolean valid;
            try {
                valid = jws.verifySignature();
            } catch (InvalidAlgorithmException e) {
                throw new InvalidDpopProofException(DpopRejection.ALGORITHM_NOT_ALLOWED);
            } catch (InvalidKeyException e) {
                throw new InvalidDpopProofException(DpopRejection.KEY_INVALID);
            } catch (JoseException | RuntimeException e) {
                throw new InvalidDpopProofException(DpopRejection.SIGNATURE_INVALID);
            }
            if (!valid) {
                throw new InvalidDpopProofException(DpopRejection.SIGNATURE_INVALID);
            }
        }

        /** RFC 7638 SHA-256 thumbprint of the {@code jwk}, base64url. */
        public String thumbprint() {
            return thumbprint;
        }

        public String jti() {
            return jti;
        }

        public String htm() {
            return htm;
        }

        public String htu() {
            return htu;
        }

        /** {@code iat}, epoch seconds. */
        public long issuedAt() {
            return issuedAt;
        }

        /** {@code ath}, or null. */
        public String ath() {
            return ath;
        }

        /** {@code nonce}, or null. */
        public String nonce() {
            return nonce;
        }

        @Override
        public String toString() {
            // jti and htm are the client's text: written as the audit trail writes a value
            return "Proof[jkt=" + thumbprint + ", jti=" + AuditLog.shown(jti) + ", htm=" + AuditLog.shown(htm) + ", iat="
                    + issuedAt + "]";
        }
    }
}
