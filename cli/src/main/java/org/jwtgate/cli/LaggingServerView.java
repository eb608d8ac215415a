package org.jwtgate.cli;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.Settings;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.verify.InvalidTokenException;

/**
 * A token this process calls expired, verified as a server whose clock lags this one by
 * {@code jwt.clock-skew-seconds} would verify it: such a server accepts it until {@code exp} plus twice the
 * skew on this clock, the rule {@code revoke-token --exp} follows. Everything else is checked as configured.
 */
final class LaggingServerView {

    private LaggingServerView() {
    }

    /**
     * The skew this view verifies with: twice the configured one, but at most the setting's maximum. Above 150 s
     * the view falls short of a lagging server, which accepts the token until {@code exp} plus twice the skew.
     */
    static long skewSeconds(JwtGateConfig config) {
        return Math.min(2L * config.verification().clockSkewSeconds(),
                ConfigKeys.setting(ConfigKeys.JWT_CLOCK_SKEW_SECONDS).max());
    }

    /** Whether {@link #verify} sees all a lagging server accepts: a null from it then means no server accepts the token. */
    static boolean coversALaggingServer(JwtGateConfig config) {
        return skewSeconds(config) == 2L * config.verification().clockSkewSeconds();
    }

    /**
     * Whether even a server whose clock lags this one by the skew refuses the token now: its {@code exp} plus twice the
     * skew has passed here, as {@code revoke-token --exp} decides. Only for a token the configured verifier refused as
     * expired, which jose4j says once the signature verifies: its {@code exp} is the issuer's, so the claims are read
     * here without checking them again.
     */
    static boolean expiredForEveryServer(String jwt, JwtGateConfig config) {
        try {
            NumericDate exp = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build().processToClaims(jwt).getExpirationTime();
            // In epoch seconds, not as an Instant: the exp is unverified, and one before Instant.MIN (jose4j reads
            // -1e300 as Long.MIN_VALUE) has no Instant. The right side cannot overflow (now, less at most 600 s).
            return exp != null && exp.getValue()
                    <= Instant.now().getEpochSecond() - 2L * config.verification().clockSkewSeconds();
        } catch (InvalidJwtException | MalformedClaimException e) {
            return false; // not known to be past every server
        }
    }

    /** The verified token, or null when it expired more than {@link #skewSeconds} ago (or another check refuses it). */
    static JwtPrincipal verify(String jwt, JwtGateConfig config) {
        Map<String, String> values = new HashMap<>(config.settings().explicitValues());
        values.remove(ConfigKeys.CONFIG_FILE); // its values are already here
        // Verification asks neither DPoP nor a store: with store=none this gate opens no Redis connection, and
        // without JMX it does not take the MBean names of the command's own gate.
        values.keySet().removeIf(key -> key.startsWith("dpop.") || key.startsWith("redis.") || key.startsWith("revocation."));
        values.put(ConfigKeys.REVOCATION_STORE, "none");
        values.put(ConfigKeys.METRICS_JMX, "false");
        values.put(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, Long.toString(skewSeconds(config)));
        // The values are expanded already, and a secret read from ${file:…} may itself hold "${", which a second
        // expansion would refuse as malformed (or expand): each such value comes back as a system property's
        // expansion, which is not expanded again.
        Map<String, String> expanded = new HashMap<>();
        values.replaceAll((key, value) -> {
            if (!value.contains("${")) {
                return value;
            }
            expanded.put("expanded." + key, value);
            return "${sys:expanded." + key + "}";
        });
        Settings settings = Settings.load(values, "the CLI's settings", ConfigSources.of(Map.of(), expanded));
        try (JwtGate lagging = JwtGate.start(JwtGateConfig.from(settings))) {
            return lagging.verify(jwt);
        } catch (InvalidTokenException e) {
            return null;
        }
    }
}
