package org.jwtgate.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/**
 * {@code revoke-token <jwt | - | --jti ID --sub SUB --exp EPOCH>}: refuses one token from now on,
 * through the same {@link org.jwtgate.revocation.RevocationService} the filter uses. A token given
 * whole is verified first, so only a token this configuration accepts is revoked, by its own
 * {@code iss}, {@code sub}, {@code jti} and {@code exp}; by identity, {@code iss} is {@code jwt.issuer}.
 */
final class RevokeTokenCommand implements CliCommand {

    @Override
    public ExitCode run(CliArguments arguments, CliEnvironment environment) {
        String actor = Printable.requireDecoded("--actor", arguments.option("--actor"));
        String reason = Printable.requireDecoded("--reason", arguments.option("--reason"));
        JwtGateConfig config = CliConfiguration.load(arguments, environment);
        RevocationReport.requireSharedStore(config);
        boolean byIdentity = arguments.option("--jti") != null;
        // Input is checked before the store is contacted: a typo never waits on a network timeout.
        TokenRef identified = byIdentity ? byIdentity(arguments, config) : null;
        String jwt = byIdentity ? null : TokenInput.read(arguments.operand(), environment);
        if (jwt != null && !TokenInput.isJoseCompact(jwt)) {
            throw notAccepted(Rejection.MALFORMED);
        }
        if (byIdentity && identified == null) {
            return alreadyExpired(environment);
        }
        try (JwtGate gate = JwtGate.start(config)) {
            TokenRef token = byIdentity ? identified : byToken(jwt, gate);
            if (token == null) {
                return alreadyExpired(environment);
            }
            return RevocationReport.report("Revoked token jti=" + Printable.claim(token.tokenId()) + " sub="
                    + Printable.claim(token.subject()) + " iss=" + Printable.claim(token.issuer()) + " ("
                    + until(token.expiresAt(), gate.config()) + ")",
                    gate.revocation().by(actor, reason)
                            .revokeToken(token), RevocationReport.SAME_WRITE, environment);
        }
    }

    /**
     * How long the revocation matters. A token that expired here within twice the skew is still revoked, so "refused
     * until" its exp would name a time already past: say why, and until when its entry is kept.
     */
    private static String until(Instant expiresAt, JwtGateConfig config) {
        if (expiresAt.isAfter(Instant.now())) {
            return "refused until " + expiresAt;
        }
        long skew = config.verification().clockSkewSeconds();
        return "already expired at " + expiresAt + ", but a server whose clock lags by [" + ConfigKeys.JWT_CLOCK_SKEW_SECONDS
                + "]=" + skew + " s may accept it until " + expiresAt.plusSeconds(2 * skew) + " by this clock: refused by the"
                + " entry stored until then";
    }

    private static ExitCode alreadyExpired(CliEnvironment environment) {
        environment.out().println("Not revoked: the token has already expired, so it is refused anyway");
        return ExitCode.OK;
    }

    /** The token's identity, or null when it has expired for every server. */
    private static TokenRef byToken(String jwt, JwtGate gate) {
        JwtPrincipal principal;
        try {
            principal = gate.verify(jwt);
        } catch (InvalidTokenException e) {
            if (e.rejection() != Rejection.EXPIRED) {
                throw notAccepted(e.rejection());
            }
            principal = LaggingServerView.verify(jwt, gate.config());
            if (principal == null && !LaggingServerView.coversALaggingServer(gate.config())
                    && !LaggingServerView.expiredForEveryServer(jwt, gate.config())) {
                // Beyond what can be verified here, a lagging server may still accept it: "refused anyway" would be false.
                throw CliException.usage("Not revoked: the token expired more than " + LaggingServerView.skewSeconds(
                        gate.config()) + " s ago, as far as it can be verified here, but a server whose clock lags by ["
                        + ConfigKeys.JWT_CLOCK_SKEW_SECONDS + "]=" + gate.config().verification().clockSkewSeconds()
                        + " may accept it until twice that after its exp; to revoke it, use --jti, --sub and --exp");
            }
            if (principal == null) {
                return null;
            }
        }
        if (principal.tokenId() == null || principal.subject() == null) {
            throw CliException.usage("Not revoked: the token has no " + (principal.tokenId() == null ? "jti" : "sub")
                    + " claim to revoke it by");
        }
        return TokenRef.of(principal);
    }

    private static CliException notAccepted(Rejection rejection) {
        return CliException.usage("Not revoked: this configuration does not accept the token (" + rejection + ": "
                + rejection.detail() + "); to revoke it anyway, use --jti, --sub and --exp");
    }

    /** From --jti/--sub/--exp; null when exp has passed. */
    private static TokenRef byIdentity(CliArguments arguments, JwtGateConfig config) {
        // `--sub "$TOKEN"` meant for `revoke-token -`: it would revoke a token nobody holds and print the one given.
        for (String option : List.of("--sub", "--jti")) {
            if (TokenInput.looksLikeToken(arguments.option(option))) {
                throw CliException.usage("Option [" + option + "] looks like a token (not shown); it takes the token's "
                        + option.substring(2) + " claim (status prints it). To revoke this token, use revoke-token -");
            }
        }
        // Before --exp: whether a mistyped --sub is refused must not depend on whether the token has expired.
        String subject = Printable.requireExactSubject("--sub", arguments.option("--sub"), arguments.escaped());
        String tokenId = Printable.requireExactTokenId("--jti", arguments.option("--jti"), arguments.escaped());
        Instant expiresAt = Instant.ofEpochSecond(arguments.expiresAtEpochSeconds());
        Instant now = Instant.now();
        // No accepted token can expire later than this: a server whose clock runs the skew ahead of this one takes an
        // iat up to its now + skew (this now + 2 × skew), and exp - iat <= max-age + skew.
        Duration skew = Duration.ofSeconds(config.verification().clockSkewSeconds());
        Instant latest = now.plus(skew.multipliedBy(3)).plusSeconds(config.verification().maxAgeSeconds());
        if (expiresAt.isAfter(latest)) {
            throw CliException.usage("Illegal value for option [--exp]: [" + arguments.option("--exp") + "] is after "
                    + latest + ", later than any token accepted under [" + ConfigKeys.JWT_MAX_AGE_SECONDS
                    + "] can expire; expected epoch seconds, not milliseconds");
        }
        // A server accepts a token until exp + skew on its own clock, which may lag this one by the skew.
        if (!expiresAt.isAfter(now.minus(skew).minus(skew))) {
            return null;
        }
        return new TokenRef(config.verification().issuer(), subject, tokenId, null, expiresAt);
    }
}
