package org.jwtgate.dpop;

/**
 * Why a DPoP proof was refused. {@link #detail()} is a fixed text for operators (DEBUG logs);
 * clients see {@link #errorCode()} and {@link #publicDescription()} only. Neither ever holds
 * proof or token content. The filter answers every one with 401 and a {@code DPoP} challenge carrying
 * {@link #errorCode()}.
 *
 * <pre>{@code
 * DpopRejection.REPLAYED.errorCode();            // "invalid_dpop_proof"
 * DpopRejection.NONCE_MISSING.errorCode();       // "use_dpop_nonce": answer with a fresh DPoP-Nonce
 * DpopRejection.URI_MISMATCH.publicDescription(); // "The DPoP proof does not match this request"
 * }</pre>
 *
 * @since 1.0.0
 */
public enum DpopRejection {
    /** {@code Authorization: DPoP} without a (non-empty) {@code DPoP} header; "A DPoP proof is required". */
    MISSING("Authorization: DPoP without a DPoP header"),
    /** Two {@code DPoP} headers, or two proofs in one; "Exactly one DPoP proof is allowed". */
    MULTIPLE("more than one DPoP header"),
    /** The proof is longer than 8192 characters: refused before any parsing. */
    TOO_LONG("longer than the proof limit (8192 characters)"),
    /** Not a compact JWS whose header and claims are JSON objects. */
    MALFORMED("not a compact JWS with JSON header and claims"),
    /** The {@code typ} header is missing or not {@code dpop+jwt}. */
    TYPE_INVALID("typ is not dpop+jwt"),
    /** The {@code alg} header is {@code none}, an HMAC algorithm, or outside {@code dpop.algorithms}. */
    ALGORITHM_NOT_ALLOWED("alg outside dpop.algorithms"),
    /** A {@code crit}, {@code b64} or {@code zip} header, whatever its value. */
    UNSUPPORTED_HEADER("crit, b64 or zip header"),
    /** The {@code jwk} header is missing, symmetric, of the wrong type or off its curve, or unfit for {@code alg}. */
    KEY_INVALID("jwk missing, not a public EC/RSA/OKP key, or unfit for alg"),
    /** The {@code jwk} header holds private key members. */
    PRIVATE_KEY("jwk holds private key members"),
    /** The signature was not made by the key of the {@code jwk} header. */
    SIGNATURE_INVALID("signature does not verify with the jwk"),
    /** {@code jti}, {@code htm}, {@code htu} or {@code iat} is missing. */
    CLAIM_MISSING("jti, htm, htu or iat missing"),
    /** A claim has the wrong type or size. */
    CLAIM_MALFORMED("a claim has the wrong type or size"),
    /** {@code htm} is not this request's method; "The DPoP proof does not match this request". */
    METHOD_MISMATCH("htm is not the request's method"),
    /** {@code htu} is not this request's URI; "The DPoP proof does not match this request". */
    URI_MISMATCH("htu is not the request's URI"),
    /**
     * {@code ath} is missing or not the hash of this access token; on a token request (no access token yet), present.
     */
    TOKEN_HASH_MISMATCH("ath missing or not the access token's hash; or, on a token request, present"),
    /** {@code iat} is older than {@code dpop.proof-max-age-seconds}. */
    TOO_OLD("iat older than dpop.proof-max-age-seconds"),
    /** {@code iat} is ahead by more than {@code jwt.clock-skew-seconds}. */
    ISSUED_IN_FUTURE("iat in the future beyond jwt.clock-skew-seconds"),
    /** The proof's {@code jti} was used before, on any instance sharing the store; "already been used". */
    REPLAYED("jti already used"),
    /**
     * A forward or async dispatch of a {@code DPoP} request whose proof no JwtGate front end checked where the request
     * arrived (a {@code paths.exclude} page, a page outside the filter's mapping): nothing recorded it there, so a
     * captured request replayed with another query would be its first use here; "The DPoP proof was not checked on
     * arrival".
     *
     * @since 1.1.0
     */
    NOT_CHECKED_ON_ARRIVAL("not checked where its request arrived, and met on a forward or async dispatch"),
    /** {@code dpop.nonce=required} and the proof has no {@code nonce}: {@code use_dpop_nonce}. */
    NONCE_MISSING("no nonce while dpop.nonce=required"),
    /** The proof's {@code nonce} is older than {@code dpop.nonce-lifetime-seconds}: {@code use_dpop_nonce}. */
    NONCE_STALE("nonce older than dpop.nonce-lifetime-seconds"),
    /** The proof's {@code nonce} was not issued with {@code dpop.nonce-secret}: {@code use_dpop_nonce}. */
    NONCE_INVALID("nonce not issued with dpop.nonce-secret");

    /** RFC 9449 §7.1: the proof is invalid. */
    public static final String INVALID_DPOP_PROOF = "invalid_dpop_proof";
    /** RFC 9449 §8, §9: retry with the nonce of the {@code DPoP-Nonce} header. */
    public static final String USE_DPOP_NONCE = "use_dpop_nonce";

    private final String detail;

    DpopRejection(String detail) {
        this.detail = detail;
    }

    /**
     * The reason for operators (DEBUG logs, the exception's message).
     *
     * @return a fixed English text, never proof or token content
     */
    public String detail() {
        return detail;
    }

    /**
     * Whether the answer must carry a fresh nonce ({@code use_dpop_nonce} + {@code DPoP-Nonce}).
     *
     * @return {@code true} for {@link #NONCE_MISSING}, {@link #NONCE_STALE} and {@link #NONCE_INVALID}
     */
    public boolean needsNonce() {
        return this == NONCE_MISSING || this == NONCE_STALE || this == NONCE_INVALID;
    }

    /**
     * The OAuth error code of the answer.
     *
     * @return {@link #USE_DPOP_NONCE} when {@link #needsNonce()}, else {@link #INVALID_DPOP_PROOF}
     */
    public String errorCode() {
        return needsNonce() ? USE_DPOP_NONCE : INVALID_DPOP_PROOF;
    }

    /**
     * The {@code error_description} clients see: a fixed, coarse text.
     *
     * @return one of a few fixed sentences, such as "The DPoP proof is invalid"
     */
    public String publicDescription() {
        return switch (this) {
            case MISSING -> "A DPoP proof is required";
            case MULTIPLE -> "Exactly one DPoP proof is allowed";
            case METHOD_MISMATCH, URI_MISMATCH, TOKEN_HASH_MISMATCH -> "The DPoP proof does not match this request";
            case TOO_OLD, ISSUED_IN_FUTURE -> "The DPoP proof is too old or issued in the future";
            case REPLAYED -> "The DPoP proof has already been used";
            case NOT_CHECKED_ON_ARRIVAL -> "The DPoP proof was not checked on arrival";
            case NONCE_MISSING, NONCE_STALE, NONCE_INVALID -> "The DPoP proof must carry the nonce of the DPoP-Nonce header";
            default -> "The DPoP proof is invalid";
        };
    }
}
