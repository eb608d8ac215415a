package org.jwtgate.bench;

import java.security.Key;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.VerificationSettings;

/**
 * The baseline: a plain jose4j {@link JwtConsumer} with the same constraints JwtGate's verifier builds
 * (algorithm allowlist, no JWE, header policy, exp/iat required and bounded, issuer, audience, type,
 * lifetime and required claims) — what a filter without JwtGate's caches would run for every request.
 *
 * <p>Mirrors {@code org.jwtgate.internal.verify.JwtVerifier#buildConsumer} through jose4j's public API only (the
 * verifier's validators are package-private). {@code BaselineConsumerTest} checks that both accept and
 * refuse the same tokens; change both together.
 */
public final class BaselineConsumer {

    private BaselineConsumer() {
    }

    /** A consumer for a configuration with a secret or a public key (not a JWKS). */
    public static JwtConsumer like(JwtGateConfig config) {
        VerificationSettings settings = config.verification();
        int skew = settings.clockSkewSeconds();
        int maxAge = settings.maxAgeSeconds();
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        settings.algorithms().stream().map(Enum::name).toArray(String[]::new))
                .setJweAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT)
                .setJwsCustomizer(BaselineConsumer::headerPolicy)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setIssuedAtRestrictions(skew, maxAge + skew)
                .setMaxFutureValidityInMinutes((maxAge + skew + 59) / 60)
                .setAllowedClockSkewInSeconds(skew)
                .setExpectedIssuer(true, settings.issuer())
                .registerValidator(lifetimeValidator(maxAge, skew))
                .registerValidator(requiredClaimsValidator(List.copyOf(settings.requiredClaims())));
        if (settings.audiences().isEmpty()) {
            builder.setSkipDefaultAudienceValidation();
        } else {
            builder.setExpectedAudience(true, settings.audiences().toArray(String[]::new));
        }
        if (settings.type() != null) {
            builder.setExpectedType(true, settings.type());
        }
        Key key;
        if (settings.secret() != null) {
            key = new SecretKeySpec(settings.secret(), "HmacSHA256");
        } else if (settings.publicKey() != null) {
            key = settings.publicKey();
        } else {
            throw new IllegalArgumentException("the baseline needs jwt.secret or jwt.public-key, not a JWKS");
        }
        return builder.setVerificationKey(key).build();
    }

    /** Same rules as JwtGate's JwsHeaderPolicy: no nesting, no crit, no b64, no zip. */
    private static void headerPolicy(JsonWebSignature jws, List<JsonWebStructure> nestingContext) {
        if (!nestingContext.isEmpty()
                || jws.getHeaders().getObjectHeaderValue("crit") != null
                || jws.getHeaders().getObjectHeaderValue("b64") != null
                || jws.getHeaders().getObjectHeaderValue("zip") != null) {
            throw new IllegalStateException("header refused by policy");
        }
        jws.setKnownCriticalHeaders();
    }

    private static ErrorCodeValidator lifetimeValidator(int maxAge, int skew) {
        return context -> {
            NumericDate iat = context.getJwtClaims().getIssuedAt();
            NumericDate exp = context.getJwtClaims().getExpirationTime();
            if (iat == null || exp == null) {
                return null;
            }
            try {
                if (Math.subtractExact(exp.getValue(), iat.getValue()) <= (long) maxAge + skew) {
                    return null;
                }
            } catch (ArithmeticException overflow) {
                // so far apart that the difference overflows: certainly too long
            }
            return new ErrorCodeValidator.Error(1001, "lifetime exceeds the maximum age");
        };
    }

    private static ErrorCodeValidator requiredClaimsValidator(List<String> required) {
        return context -> {
            JwtClaims claims = context.getJwtClaims();
            for (String claim : required) {
                if (claims.getClaimValue(claim) == null) {
                    return new ErrorCodeValidator.Error(1002, "missing required claim");
                }
            }
            claims.getSubject();
            claims.getJwtId();
            return null;
        };
    }
}
