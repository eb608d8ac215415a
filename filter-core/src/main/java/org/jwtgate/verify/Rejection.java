package org.jwtgate.verify;

/**
 * Why a token was refused. {@link #detail()} is a fixed text for operators (the CLI, DEBUG logs);
 * clients only ever see {@link #publicDescription()}. Neither ever holds token content.
 *
 * <pre>{@code
 * Rejection.EXPIRED.publicDescription();   // "The access token expired"
 * Rejection.EXPIRED.detail();              // "expired"
 * }</pre>
 *
 * @since 1.0.0
 */
public enum Rejection {
    MALFORMED("not a compact JWS (three base64url segments)"),
    TOO_LONG("longer than token.max-length"),
    UNSUPPORTED_FORM("JWE, nested JWT, unencoded payload (b64) or unknown critical header"),
    ALGORITHM_NOT_ALLOWED("algorithm outside jwt.algorithms"),
    UNKNOWN_KEY("no configured key matches the token's kid/alg"),
    SIGNATURE_INVALID("signature does not verify"),
    EXPIRED("expired"),
    NOT_YET_VALID("nbf is in the future"),
    ISSUED_IN_FUTURE("iat is in the future"),
    TOO_OLD("older than jwt.max-age-seconds"),
    LIFETIME_TOO_LONG("exp is further in the future than jwt.max-age-seconds allows"),
    ISSUER_INVALID("iss does not match jwt.issuer"),
    AUDIENCE_INVALID("aud does not contain jwt.audience"),
    TYPE_INVALID("typ header does not match jwt.type"),
    CLAIM_MISSING("a required claim is missing"),
    CLAIM_MALFORMED("a claim has the wrong type or an impossible value"),
    REVOKED("revoked"),
    /** dpop.mode allowed or required: a DPoP-bound token ({@code cnf.jkt}) sent as a bearer token (a downgrade). */
    DPOP_BOUND_AS_BEARER("DPoP-bound token (cnf.jkt) presented as a bearer token"),
    /** dpop.mode=required: a bearer token. */
    DPOP_REQUIRED("bearer token while dpop.mode=required"),
    /** The DPoP scheme with a token that has no cnf.jkt, or whose cnf.jkt is not the proof key's thumbprint. */
    DPOP_KEY_MISMATCH("cnf.jkt missing or not the thumbprint of the DPoP proof's key"),
    INVALID("invalid");

    private final String detail;

    Rejection(String detail) {
        this.detail = detail;
    }

    public String detail() {
        return detail;
    }

    /** The {@code error_description} clients see: deliberately coarse. */
    public String publicDescription() {
        return switch (this) {
            case EXPIRED -> "The access token expired";
            case REVOKED -> "The access token has been revoked";
            case NOT_YET_VALID -> "The access token is not valid yet";
            case DPOP_BOUND_AS_BEARER, DPOP_REQUIRED -> "The access token must be sent with the DPoP scheme and a DPoP proof";
            case DPOP_KEY_MISMATCH -> "The access token is not bound to the key of the DPoP proof";
            default -> "The access token is invalid";
        };
    }
}
