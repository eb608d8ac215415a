package org.jwtgate.internal.verify;

import java.security.Key;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.config.TokenSettings;
import org.jwtgate.config.VerificationSettings;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;
import org.jwtgate.verify.Rejection;

/**
 * Verifies a compact JWS with one jose4j {@link JwtConsumer} built once. Thread-safe.
 * Every refusal is an {@link InvalidTokenException} with a stable {@link Rejection}; no input,
 * however hostile, escapes as another exception.
 */
public final class JwtVerifier implements AutoCloseable {

    private final JwtConsumer consumer;
    private final int maxLength;
    private final String principalClaim;
    private final RolesExtractor roles;
    /** The JWKS client, or null for a fixed key. */
    private final JwksKeyResolver keySource;

    private JwtVerifier(VerificationSettings settings, TokenSettings token, Object key, JwksKeyResolver keySource) {
        this.maxLength = token.maxLength();
        this.principalClaim = token.principalClaim();
        this.roles = new RolesExtractor(token.rolesClaim());
        this.keySource = keySource;
        this.consumer = buildConsumer(settings, key);
    }

    /** A verifier for the configured key: a secret, a public key, or a JWKS fetched now and refreshed. */
    public static JwtVerifier create(VerificationSettings settings, TokenSettings token) {
        return create(settings, token, new GateMetrics());
    }

    /** The same, counting JWKS fetches into {@code metrics} and attaching the JWKS gauges. */
    public static JwtVerifier create(VerificationSettings settings, TokenSettings token, GateMetrics metrics) {
        if (settings.secret() != null) {
            return new JwtVerifier(settings, token, new SecretKeySpec(settings.secret(), "HmacSHA256"), null);
        }
        if (settings.publicKey() != null) {
            return new JwtVerifier(settings, token, settings.publicKey(), null);
        }
        JwksKeyResolver jwks = new JwksKeyResolver(settings.jwksUri(), settings.jwksRefreshSeconds(),
                settings.jwksMinRefreshSeconds(),
                settings.algorithms().stream().map(Enum::name).collect(Collectors.toSet()), metrics);
        return new JwtVerifier(settings, token, jwks, jwks);
    }

    /** A verifier of the keys {@code jwks} fetches: for tests, which lower its timeouts. */
    static JwtVerifier withKeys(VerificationSettings settings, TokenSettings token, JwksKeyResolver jwks) {
        return new JwtVerifier(settings, token, jwks, jwks);
    }

    private static JwtConsumer buildConsumer(VerificationSettings settings, Object key) {
        int skew = settings.clockSkewSeconds();
        int maxAge = settings.maxAgeSeconds();
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        settings.algorithms().stream().map(Enum::name).toArray(String[]::new))
                // No decryption key and no JWE algorithm: encrypted or nested tokens cannot pass.
                .setJweAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                // jose4j adds the allowed clock skew to both bounds itself: iat up to skew ahead, age up to maxAge + skew.
                .setIssuedAtRestrictions(0, maxAge)
                .setMaxFutureValidityInMinutes((maxAge + skew + 59) / 60)
                .setAllowedClockSkewInSeconds(skew)
                .setExpectedIssuer(true, settings.issuer())
                .registerValidator(new LifetimeValidator(maxAge, skew))
                .registerValidator(new RequiredClaimsValidator(settings.requiredClaims()));
        if (settings.audiences().isEmpty()) {
            builder.setSkipDefaultAudienceValidation();
        } else {
            builder.setExpectedAudience(true, settings.audiences().toArray(String[]::new))
                    .registerValidator(new AudienceItemsValidator());
        }
        if (settings.type() != null) {
            // Compared here, not by jose4j's setExpectedType: jose4j prepends "application/" to a whole typ without '/',
            // parameters included, so "at+jwt; v=1" named no media type while "application/at+jwt; v=1" passed.
            builder.registerValidator(new TypeHeaderValidator(settings.type()));
        }
        // The header rules run as the key is resolved, before jose4j would run a JwsCustomizer (after the resolution):
        // a refused header (crit, b64, zip) is refused as such, never looked up in a JWKS (503 while no set is loaded,
        // an unknown key setting off a refresh). A nested token's outer JWS is still looked up; its inner one is refused.
        VerificationKeyResolver keys = key instanceof Key k ? (jws, nesting) -> k : (JwksKeyResolver) key;
        JwsHeaderPolicy headerPolicy = new JwsHeaderPolicy();
        builder.setVerificationKeyResolver((jws, nesting) -> {
            JwsJsonSegments.requireJson(jws);
            headerPolicy.customize(jws, nesting);
            return keys.resolveKey(jws, nesting);
        });
        return builder.build();
    }

    /**
     * How many times a JWKS refresh has withdrawn a key held before (always 0 for a fixed key). Read it before
     * {@link #verify}: a result remembered under an older epoch may rest on a key no longer trusted.
     */
    public long keyEpoch() {
        return keySource == null ? 0 : keySource.withdrawals();
    }

    /** @throws InvalidTokenException when the token is refused; KeysUnavailableException when no JWKS is loaded */
    public JwtPrincipal verify(String token) {
        precheck(token);
        try {
            return toPrincipal(consumer.process(token).getJwtClaims());
        } catch (InvalidJwtException e) {
            // jose4j wraps whatever a customizer or key resolver throws: look for our own exceptions first.
            KeysUnavailableException keysUnavailable = causeOf(e, KeysUnavailableException.class);
            if (keysUnavailable != null) {
                throw keysUnavailable;
            }
            throw new InvalidTokenException(classify(e));
        } catch (InvalidTokenException | KeysUnavailableException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // Hostile input must never become a 500: anything jose4j did not anticipate is a bad token.
            throw new InvalidTokenException(Rejection.MALFORMED);
        }
    }

    /**
     * Cheap structural checks before any parsing: length, base64url characters only, and exactly
     * three non-empty segments (five segments are a JWE: refused as an unsupported form).
     */
    private void precheck(String token) {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException(Rejection.MALFORMED);
        }
        if (token.length() > maxLength) {
            throw new InvalidTokenException(Rejection.TOO_LONG);
        }
        int dots = 0;
        boolean emptySegment = false;
        int segmentLength = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                emptySegment |= segmentLength == 0;
                dots++;
                segmentLength = 0;
            } else if (isBase64Url(c)) {
                segmentLength++;
            } else {
                throw new InvalidTokenException(Rejection.MALFORMED);
            }
        }
        emptySegment |= segmentLength == 0;
        if (dots == 4) {
            throw new InvalidTokenException(Rejection.UNSUPPORTED_FORM);
        }
        if (dots != 2 || emptySegment) {
            throw new InvalidTokenException(Rejection.MALFORMED);
        }
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private JwtPrincipal toPrincipal(JwtClaims claims) {
        try {
            Object name = claims.getClaimValue(principalClaim);
            if (!(name instanceof String principalName) || principalName.isBlank()) {
                throw new InvalidTokenException(name == null ? Rejection.CLAIM_MISSING : Rejection.CLAIM_MALFORMED);
            }
            NumericDate iat = claims.getIssuedAt();
            NumericDate exp = claims.getExpirationTime();
            Set<String> roleSet = roles.extract(claims.getClaimsMap());
            return new JwtPrincipal(principalName, claims.getSubject(), claims.getIssuer(), claims.getJwtId(),
                    Instant.ofEpochSecond(iat.getValue()), Instant.ofEpochSecond(exp.getValue()),
                    roleSet, claims.getClaimsMap());
        } catch (MalformedClaimException | IllegalArgumentException e) {
            // a claim of the wrong type, or claims nested beyond JwtPrincipal's depth limit
            throw new InvalidTokenException(Rejection.CLAIM_MALFORMED);
        }
    }

    /**
     * Loads the classes {@link #classify} needs (jose4j's, which a WAR holds in {@code WEB-INF/lib}) by classifying two
     * failures that between them pass every one of its checks: one that matches none, one whose cause is an
     * unparsable header's (a parser's failure inside a {@link JoseException}, with a cast's failure, as a non-string
     * {@code alg} gives). For refusals after the application's class loader closed.
     */
    public static void loadRejectionClasses() {
        classify(new InvalidJwtException("loading ahead", List.of(), null));
        classify(new InvalidJwtException("loading ahead", new ErrorCodeValidator.Error(ErrorCodes.MISCELLANEOUS,
                "loading ahead"), new JoseException("loading ahead", new ClassCastException()), null));
    }

    /** Maps jose4j's error codes (stable) to a Rejection; never looks at the message (it holds claims). */
    static Rejection classify(InvalidJwtException e) {
        if (hasCause(e, JwsJsonSegments.NotJson.class)) {
            return Rejection.MALFORMED;
        }
        if (hasCause(e, JwsHeaderPolicy.HeaderRefused.class)) {
            return Rejection.UNSUPPORTED_FORM;
        }
        if (hasCause(e, InvalidAlgorithmException.class) || isNonStringAlgorithm(e)) {
            return Rejection.ALGORITHM_NOT_ALLOWED;
        }
        if (hasCause(e, UnresolvableKeyException.class)) {
            return Rejection.UNKNOWN_KEY;
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return Rejection.SIGNATURE_INVALID;
        }
        // A header member jose4j reads as a string holding another JSON type (cty, looked at before anything else):
        // jose4j reports the cast's failure under its catch-all code, as verify() would see a bare runtime exception.
        if (e.hasErrorCode(ErrorCodes.JSON_INVALID) || isUnparsableHeader(e) || hasCause(e, ClassCastException.class)) {
            return Rejection.MALFORMED;
        }
        if (e.hasErrorCode(ErrorCodes.MALFORMED_CLAIM)) {
            return Rejection.CLAIM_MALFORMED;
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRED)) {
            return Rejection.EXPIRED;
        }
        if (e.hasErrorCode(LifetimeValidator.NEVER_VALID)) {
            return Rejection.CLAIM_MALFORMED;
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return Rejection.NOT_YET_VALID;
        }
        if (e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return Rejection.ISSUED_IN_FUTURE;
        }
        if (e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_PAST)) {
            return Rejection.TOO_OLD;
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_TOO_FAR_IN_FUTURE) || e.hasErrorCode(LifetimeValidator.ERROR_CODE)) {
            return Rejection.LIFETIME_TOO_LONG;
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return Rejection.ISSUER_INVALID;
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return Rejection.AUDIENCE_INVALID;
        }
        if (e.hasErrorCode(ErrorCodes.TYPE_INVALID) || e.hasErrorCode(ErrorCodes.TYPE_MISSING)) {
            return Rejection.TYPE_INVALID;
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING) || e.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)
                || e.hasErrorCode(ErrorCodes.SUBJECT_MISSING) || e.hasErrorCode(ErrorCodes.JWT_ID_MISSING)
                || e.hasErrorCode(RequiredClaimsValidator.ERROR_CODE)) {
            return Rejection.CLAIM_MISSING;
        }
        if (e.hasErrorCode(ErrorCodes.ENCRYPTION_MISSING) || e.hasErrorCode(ErrorCodes.INTEGRITY_MISSING)) {
            return Rejection.UNSUPPORTED_FORM;
        }
        return Rejection.INVALID;
    }

    /**
     * An {@code alg} header that is no string (a number, an array): jose4j casts it to a string before any other
     * check and reports the failure under its catch-all code (MISCELLANEOUS). Refused as a missing alg is.
     */
    private static boolean isNonStringAlgorithm(InvalidJwtException e) {
        if (!hasCause(e, ClassCastException.class) || e.getJwtContext() == null
                || e.getJwtContext().getJoseObjects() == null || e.getJwtContext().getJoseObjects().isEmpty()) {
            return false;
        }
        Object alg = e.getJwtContext().getJoseObjects().get(0).getHeaders().getObjectHeaderValue("alg");
        return alg != null && !(alg instanceof String);
    }

    /**
     * The JOSE header is not a JSON object, or repeats a member name: jose4j reports this as a bare
     * {@link JoseException} caused by its JSON parser's exception (never by an error code).
     */
    private static boolean isUnparsableHeader(InvalidJwtException e) {
        return e.getCause() != null && e.getCause().getClass() == JoseException.class && e.getCause().getCause() != null;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        return causeOf(e, type) != null;
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (keySource != null) {
            try {
                keySource.close();
            } catch (Exception ignored) {
                // closing a scheduler cannot fail in a way worth reporting
            }
        }
    }

    /**
     * exp − iat must not exceed the maximum age: a token may not grant itself a long life. And exp may not precede
     * iat or nbf: jose4j refuses such a token too, but under its catch-all error code (MISCELLANEOUS), which would
     * leave it {@link Rejection#INVALID}; it is reported here under a code of its own (unless already expired).
     */
    static final class LifetimeValidator implements ErrorCodeValidator {
        static final int ERROR_CODE = 1001;
        static final int NEVER_VALID = 1003;
        private final long maxAge;
        private final long skew;

        LifetimeValidator(int maxAge, int skew) {
            this.maxAge = maxAge;
            this.skew = skew;
        }

        @Override
        public Error validate(JwtContext context) throws MalformedClaimException {
            NumericDate iat = context.getJwtClaims().getIssuedAt();
            NumericDate exp = context.getJwtClaims().getExpirationTime();
            if (iat == null || exp == null) {
                return null;
            }
            NumericDate nbf = context.getJwtClaims().getNotBefore();
            if (exp.isBefore(iat) || nbf != null && exp.isBefore(nbf)) {
                return new Error(NEVER_VALID, "exp before iat or nbf");
            }
            try {
                if (Math.subtractExact(exp.getValue(), iat.getValue()) <= maxAge + skew) {
                    return null;
                }
            } catch (ArithmeticException overflow) {
                // exp and iat so far apart that the difference overflows: certainly too long
            }
            return new Error(ERROR_CODE, "lifetime exceeds the maximum age");
        }
    }

    /**
     * With jwt.audience, every item of an {@code aud} array must be a string (RFC 7519 §4.1.3): jose4j refuses a
     * number there, but lets a null through, which the application would then find in the principal's claims.
     */
    static final class AudienceItemsValidator implements ErrorCodeValidator {

        @Override
        public Error validate(JwtContext context) {
            if (context.getJwtClaims().getClaimValue("aud") instanceof List<?> items && items.contains(null)) {
                return new Error(ErrorCodes.MALFORMED_CLAIM, "null in the aud array");
            }
            return null;
        }
    }

    /**
     * With jwt.type, the {@code typ} header must name its media type (RFC 7515 §4.1.9): type and subtype compared case
     * aside, parameters ignored, {@code application/} prepended to a value whose media type (before any {@code ;}) holds
     * no {@code /} — so {@code at+jwt; v=1} is read as {@code application/at+jwt; v=1} is. A missing {@code typ} is
     * TYPE_MISSING; one that is no string, names no media type or a wildcard, TYPE_INVALID (never jose4j's catch-all).
     */
    static final class TypeHeaderValidator implements ErrorCodeValidator {
        private final String expected;

        TypeHeaderValidator(String expectedType) {
            this.expected = mediaType(expectedType);
            if (expected == null) {
                // JwtGateConfig refuses such a jwt.type at start; a caller building settings itself gets this.
                throw new IllegalArgumentException("jwt.type is no media type (or a wildcard)");
            }
        }

        @Override
        public Error validate(JwtContext context) {
            Object type = context.getJoseObjects().get(0).getHeaders().getObjectHeaderValue("typ");
            if (type == null) {
                return new Error(ErrorCodes.TYPE_MISSING, "no typ header");
            }
            if (!(type instanceof String typ)) {
                return new Error(ErrorCodes.TYPE_INVALID, "typ header is no string");
            }
            return expected.equals(mediaType(typ)) ? null : new Error(ErrorCodes.TYPE_INVALID, "typ names another media type");
        }

        /**
         * The media type {@code value} names, as {@code type/subtype} in lower case without its parameters, {@code
         * application/} prepended when it holds no {@code /} before any {@code ;}; null when type or subtype is empty,
         * holds a character a media type's name may not (RFC 9110 §5.6.2) or is the wildcard {@code *}. Only OWS (SP,
         * HTAB) is dropped, around type and subtype of {@code type/subtype} and before a {@code ;}: {@code String.trim}
         * would drop NUL and ESC too, which jose4j refused.
         */
        static String mediaType(String value) {
            int semicolon = value.indexOf(';');
            // OWS may precede a parameter's ";" (RFC 9110 §8.3.1); a value without '/' is taken as it is otherwise, as
            // jose4j took it (" at+jwt" names no media type).
            String name = semicolon < 0 ? value : withoutOws(value.substring(0, semicolon));
            int slash = name.indexOf('/');
            String type = slash < 0 ? "application" : withoutOws(name.substring(0, slash));
            String subtype = slash < 0 ? name : withoutOws(name.substring(slash + 1));
            if (!isName(type) || !isName(subtype)) {
                return null;
            }
            return type.toLowerCase(Locale.ROOT) + "/" + subtype.toLowerCase(Locale.ROOT);
        }

        private static String withoutOws(String part) {
            int start = 0;
            int end = part.length();
            while (start < end && (part.charAt(start) == ' ' || part.charAt(start) == '\t')) {
                start++;
            }
            while (end > start && (part.charAt(end - 1) == ' ' || part.charAt(end - 1) == '\t')) {
                end--;
            }
            return part.substring(start, end);
        }

        /** Visible ASCII but {@code ()<>@,;:/[]?="\}, as jose4j reads a media type's name; not the wildcard. */
        private static boolean isName(String part) {
            if (part.isEmpty() || part.equals("*")) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c <= 0x20 || c > 0x7e || "()<>@,;:/[]?=\"\\".indexOf(c) >= 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Every claim of jwt.required-claims must be present (and non-null). */
    static final class RequiredClaimsValidator implements ErrorCodeValidator {
        static final int ERROR_CODE = 1002;
        private final Set<String> required;

        RequiredClaimsValidator(Set<String> required) {
            this.required = required;
        }

        @Override
        public Error validate(JwtContext context) throws MalformedClaimException {
            JwtClaims claims = context.getJwtClaims();
            for (String claim : required) {
                if (claims.getClaimValue(claim) == null) {
                    return new Error(ERROR_CODE, "missing required claim");
                }
            }
            // Identifiers used as revocation keys must be strings, not numbers or objects, and not empty or blank:
            // every token with an empty jti (or sub) would share one key, so revoking one would revoke them all, and
            // the CLI refuses a blank one (revoke-user, revoke-token --jti/--sub).
            if ((required.contains("sub") && isBlank(claims.getSubject()))
                    || (required.contains("jti") && isBlank(claims.getJwtId()))) {
                return new Error(ERROR_CODE, "empty required identifier");
            }
            return null;
        }

        private static boolean isBlank(String identifier) {
            return identifier != null && identifier.isBlank();
        }
    }

}
