package org.jwtgate.dpop;

/**
 * Why a DPoP proof was refused. {@link #detail()} is a fixed text for operators (DEBUG logs);
 * clients see {@link #errorCode()} and {@link #publicDescription()} only. Neither ever holds
 * proof or token content.
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
    MISSING("Authorization: DPoP without a DPoP header"),
    MULTIPLE("more than one DPoP header"),
    TOO_LONG("longer than the proof limit (8192 characters)"),
    MALFORMED("not a compact JWS with JSON header and claims"),
    TYPE_INVALID("typ is not dpop+jwt"),
    ALGORITHM_NOT_ALLOWED("alg outside dpop.algorithms"),
    UNSUPPORTED_HEADER("crit, b64 or zip header"),
    KEY_INVALID("jwk missing, not a public EC/RSA/OKP key, or unfit for alg"),
    PRIVATE_KEY("jwk holds private key members"),
    SIGNATURE_INVALID("signature does not verify with the jwk"),
    CLAIM_MISSING("jti, htm, htu or iat missing"),
    CLAIM_MALFORMED("a claim has the wrong type or size"),
    METHOD_MISMATCH("htm is not the request's method"),
    URI_MISMATCH("htu is not the request's URI"),
    TOKEN_HASH_MISMATCH("ath missing or not the access token's hash; or, on a token request, present"),
    TOO_OLD("iat older than dpop.proof-max-age-seconds"),
    ISSUED_IN_FUTURE("iat in the future beyond jwt.clock-skew-seconds"),
    REPLAYED("jti already used"),
    NONCE_MISSING("no nonce while dpop.nonce=required"),
    NONCE_STALE("nonce older than dpop.nonce-lifetime-seconds"),
    NONCE_INVALID("nonce not issued with dpop.nonce-secret");

    /** RFC 9449 §7.1: the proof is invalid. */
    public static final String INVALID_DPOP_PROOF = "invalid_dpop_proof";
    /** RFC 9449 §8, §9: retry with the nonce of the {@code DPoP-Nonce} header. */
    public static final String USE_DPOP_NONCE = "use_dpop_nonce";

    private final String detail;

    DpopRejection(String detail) {
        this.detail = detail;
    }

    public String detail() {
        return detail;
    }

    /** Whether the answer must carry a fresh nonce ({@code use_dpop_nonce} + {@code DPoP-Nonce}). */
    public boolean needsNonce() {
        return this == NONCE_MISSING || this == NONCE_STALE || this == NONCE_INVALID;
    }

    /** The OAuth error code of the answer: {@code use_dpop_nonce} or {@code invalid_dpop_proof}. */
    public String errorCode() {
        return needsNonce() ? USE_DPOP_NONCE : INVALID_DPOP_PROOF;
    }

    /** The {@code error_description} clients see: a fixed, coarse text. */
    public String publicDescription() {
        return switch (this) {
            case MISSING -> "A DPoP proof is required";
            case MULTIPLE -> "Exactly one DPoP proof is allowed";
            case METHOD_MISMATCH, URI_MISMATCH, TOKEN_HASH_MISMATCH -> "The DPoP proof does not match this request";
            case TOO_OLD, ISSUED_IN_FUTURE -> "The DPoP proof is too old or issued in the future";
            case REPLAYED -> "The DPoP proof has already been used";
            case NONCE_MISSING, NONCE_STALE, NONCE_INVALID -> "The DPoP proof must carry the nonce of the DPoP-Nonce header";
            default -> "The DPoP proof is invalid";
        };
    }
}
