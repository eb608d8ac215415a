package org.jwtgate.verify;

/**
 * Why a token was refused. {@link #detail()} is a fixed text for operators (the CLI, DEBUG logs);
 * clients only ever see {@link #publicDescription()}. Neither ever holds token content. The filter answers
 * every one with 401 and {@code error="invalid_token"} (RFC 6750).
 *
 * <pre>{@code
 * Rejection.EXPIRED.publicDescription();   // "The access token expired"
 * Rejection.EXPIRED.detail();              // "expired"
 * }</pre>
 *
 * @since 1.0.0
 */
public enum Rejection {
    /** Empty, or not three non-empty base64url segments; or a header or claims set that is not JSON. */
    MALFORMED("not a compact JWS (three base64url segments) of a JSON header and claims set"),
    /** Longer than {@code token.max-length}: refused before any parsing. */
    TOO_LONG("longer than token.max-length"),
    /**
     * A JWE (five segments), a nested JWT, or a header JwtGate refuses by policy ({@code crit}, {@code b64},
     * {@code zip}).
     */
    UNSUPPORTED_FORM("JWE, nested JWT, unencoded payload (b64) or unknown critical header"),
    /** The {@code alg} header names an algorithm outside {@code jwt.algorithms}, or is not a string. */
    ALGORITHM_NOT_ALLOWED("algorithm outside jwt.algorithms"),
    /**
     * No configured key fits the token's {@code kid} and {@code alg} (with a JWKS: none in the set as last fetched).
     */
    UNKNOWN_KEY("no configured key matches the token's kid/alg"),
    /** The signature is missing or does not verify with the key. */
    SIGNATURE_INVALID("signature does not verify"),
    /** {@code exp} passed, beyond {@code jwt.clock-skew-seconds}; clients see "The access token expired". */
    EXPIRED("expired"),
    /** {@code nbf} is in the future, beyond the skew; clients see "The access token is not valid yet". */
    NOT_YET_VALID("nbf is in the future"),
    /** {@code iat} is in the future, beyond the skew. */
    ISSUED_IN_FUTURE("iat is in the future"),
    /** {@code iat} is older than {@code jwt.max-age-seconds}. */
    TOO_OLD("older than jwt.max-age-seconds"),
    /**
     * {@code exp} − {@code iat} exceeds {@code jwt.max-age-seconds}, or {@code exp} lies further ahead than it (with
     * {@code jwt.clock-skew-seconds} of leeway, and for {@code exp} ahead of now twice it).
     */
    LIFETIME_TOO_LONG("exp is further in the future than jwt.max-age-seconds allows"),
    /** {@code iss} is missing or is not exactly {@code jwt.issuer}. */
    ISSUER_INVALID("iss does not match jwt.issuer"),
    /** {@code aud} is missing or holds none of {@code jwt.audience}. */
    AUDIENCE_INVALID("aud does not contain jwt.audience"),
    /** The {@code typ} header is missing or does not name {@code jwt.type}. */
    TYPE_INVALID("typ header does not match jwt.type"),
    /** A claim of {@code jwt.required-claims}, or the {@code claims.principal} claim, is missing. */
    CLAIM_MISSING("a required claim is missing"),
    /** A claim has the wrong type or an impossible value (a blank principal name, {@code exp} before {@code iat}). */
    CLAIM_MALFORMED("a claim has the wrong type or an impossible value"),
    /**
     * The token ({@code iss} + {@code jti}) or its user ({@code sub}) was revoked, or in allowlist mode it is not
     * registered; clients see "The access token has been revoked".
     */
    REVOKED("revoked"),
    /** dpop.mode allowed or required: a DPoP-bound token ({@code cnf.jkt}) sent as a bearer token (a downgrade). */
    DPOP_BOUND_AS_BEARER("DPoP-bound token (cnf.jkt) presented as a bearer token"),
    /** dpop.mode=required: a bearer token. */
    DPOP_REQUIRED("bearer token while dpop.mode=required"),
    /** The DPoP scheme with a token that has no cnf.jkt, or whose cnf.jkt is not the proof key's thumbprint. */
    DPOP_KEY_MISMATCH("cnf.jkt missing or not the thumbprint of the DPoP proof's key"),
    /**
     * A certificate-bound token (RFC 8705 §3: {@code cnf} with {@code x5t#S256}) on a request whose client certificate
     * is missing or is not the one it names, or whose {@code x5t#S256} is no 43-character base64url string (a binding
     * written wrong). Checked by the filter and the Jakarta Authentication module, which see the request's certificate;
     * {@code JwtGate.verify(token)} alone has none to compare.
     *
     * @since 1.1.0
     */
    CERTIFICATE_MISMATCH("certificate-bound token (cnf.x5t#S256) without the client certificate it names, or its binding written wrong"),
    /** Refused for a reason none of the others names (jose4j's catch-all). */
    INVALID("invalid");

    private final String detail;

    Rejection(String detail) {
        this.detail = detail;
    }

    /**
     * The reason for operators: the CLI's output, DEBUG logs, the exception's message.
     *
     * @return a fixed English text, naming the setting involved where there is one, never token content
     */
    public String detail() {
        return detail;
    }

    /**
     * The {@code error_description} clients see: deliberately coarse.
     *
     * @return one of a few fixed sentences, such as "The access token is invalid"
     */
    public String publicDescription() {
        return switch (this) {
            case EXPIRED -> "The access token expired";
            case REVOKED -> "The access token has been revoked";
            case NOT_YET_VALID -> "The access token is not valid yet";
            case DPOP_BOUND_AS_BEARER, DPOP_REQUIRED -> "The access token must be sent with the DPoP scheme and a DPoP proof";
            case DPOP_KEY_MISMATCH -> "The access token is not bound to the key of the DPoP proof";
            case CERTIFICATE_MISMATCH -> "The access token is bound to a client certificate the request did not present";
            default -> "The access token is invalid";
        };
    }
}
