package org.jwtgate.cli;

import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.DpopSettings;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.NearCacheStats;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/**
 * {@code status <jwt | ->}: what the filter would decide about a token, with the reason as a
 * stable {@link Rejection} code. Prints identifying claims only (sub, iss, jti, roles, times),
 * never the token or a key. A second line tells whether the token is DPoP-bound (RFC 9449) and to
 * which key: {@code binding: DPoP jkt=<thumbprint>} (marked not enforced under {@code dpop.mode=off}), or
 * {@code binding: none (bearer token)}. With a Redis
 * store and the near-cache on, a third line says how the cluster carries revocation announcements:
 * {@code near-cache: sharded pub/sub (…)} on Redis 7+, {@code near-cache: classic pub/sub (…)} on Redis 6, or that Redis
 * refuses the configured user the subscription: {@code near-cache: subscription refused by Redis (NOPERM …)}.
 */
final class StatusCommand implements CliCommand {

    @Override
    public ExitCode run(CliArguments arguments, CliEnvironment environment) {
        String jwt = TokenInput.read(arguments.operand(), environment);
        JwtGateConfig config = CliConfiguration.load(arguments, environment);
        if (config.revocation().store() == RevocationSettings.StoreType.MEMORY) {
            environment.warn("[" + ConfigKeys.REVOCATION_STORE + "] is [memory]: the servers' revocations are not visible"
                    + " from here; only signature and claims are checked");
        }
        try (JwtGate gate = JwtGate.start(config)) {
            JwtPrincipal principal;
            try {
                principal = gate.verify(jwt);
            } catch (InvalidTokenException e) {
                return refused(e.rejection(), "", environment);
            }
            // The servers refuse a token without a DPoP binding in either scheme: as a bearer token, and with a
            // DPoP proof as not bound to the proof's key.
            if (config.dpop().mode() == DpopSettings.Mode.REQUIRED && !principal.isDpopBound()) {
                return refused(Rejection.DPOP_REQUIRED, "", environment);
            }
            // dpop.mode=allowed refuses a token that claims a binding it cannot be held to as a bearer token, and,
            // bound to no key, with any DPoP proof: no server accepts it.
            if (config.dpop().mode() == DpopSettings.Mode.ALLOWED && !principal.isDpopBound()
                    && principal.claimsDpopBinding()) {
                return refused(Rejection.DPOP_BOUND_AS_BEARER, "", environment);
            }
            // Every server refuses a certificate binding written wrong (its x5t#S256 not 43 base64url characters).
            if (claimsCertificateBinding(principal) && certificateThumbprint(principal) == null) {
                return refused(Rejection.CERTIFICATE_MISMATCH, "", environment);
            }
            String identity = identity(principal);
            // The filter's check: a store that cannot answer ends the command with exit 3. Not with store=none
            // (nothing is revoked, and a token may then lack jti or sub) nor with this process's own empty memory
            // store (which, in allowlist mode, would call every token revoked).
            if (seesTheServersRevocations(config) && gate.revocation().isRevoked(principal)) {
                ExitCode refused = refused(Rejection.REVOKED, " " + identity, environment);
                printBinding(principal, config.dpop().enabled(), environment);
                printNearCache(gate.revocation(), config.revocation().store() == RevocationSettings.StoreType.REDIS_CLUSTER, environment);
                return refused;
            }
            environment.out().println("valid: " + identity + " principal=" + Printable.claim(principal.getName())
                    + " roles=" + new TreeSet<>(principal.roles()).stream()
                            // One field: no space, commas between; a comma, bracket or quote in a role as its code
                            // (the principal has no empty role).
                            .map(role -> Printable.claim(role).replace(",", "\\u002c").replace("[", "\\u005b")
                                    .replace("]", "\\u005d").replace("\"", "\\u0022"))
                            .collect(java.util.stream.Collectors.joining(",", "[", "]")) + " issued " + principal.issuedAt()
                    + " expires " + principal.expiresAt());
            printBinding(principal, config.dpop().enabled(), environment);
            printNearCache(gate.revocation(), config.revocation().store() == RevocationSettings.StoreType.REDIS_CLUSTER, environment);
            return ExitCode.OK;
        }
    }

    /**
     * {@code sub=… iss=… jti=…}; a claim the token lacks (possible with {@code revocation.store=none} only: every
     * store requires both) is left out: printed as {@code null} it could not be told from the string "null".
     */
    private static String identity(JwtPrincipal principal) {
        StringJoiner fields = new StringJoiner(" ");
        String[][] claims = {{"sub", principal.subject()}, {"iss", principal.issuer()}, {"jti", principal.tokenId()}};
        for (String[] claim : claims) {
            if (claim[1] != null) {
                fields.add(claim[0] + "=" + Printable.claim(claim[1]));
            }
        }
        return fields.toString();
    }

    private static boolean seesTheServersRevocations(JwtGateConfig config) {
        RevocationSettings.StoreType store = config.revocation().store();
        return store != RevocationSettings.StoreType.NONE && store != RevocationSettings.StoreType.MEMORY;
    }

    /**
     * The token's DPoP binding: its {@code cnf.jkt}, the thumbprint of the key every request must prove. With
     * {@code dpop.mode=off} the servers ignore {@code cnf}: a thief needs no key, so the line must not say one is needed.
     */
    private static void printBinding(JwtPrincipal principal, boolean dpopEnforced, CliEnvironment environment) {
        String meaning = dpopEnforced ? " (sender-constrained: requests need a DPoP proof by that key)"
                : " (not enforced: with " + ConfigKeys.DPOP_MODE + "=off the servers accept it as a bearer token, without a proof)";
        StringJoiner bindings = new StringJoiner(" and ", "binding: ", "").setEmptyValue("binding: none (bearer token)");
        principal.dpopThumbprint().ifPresent(jkt -> bindings.add("DPoP jkt=" + Printable.claim(jkt) + meaning));
        String certificate = certificateThumbprint(principal);
        if (certificate != null) {
            // Checked whatever dpop.mode: one line still, which scripts read as the binding.
            bindings.add("certificate x5t#S256=" + Printable.claim(certificate)
                    + " (sender-constrained: requests need that TLS client certificate)");
        }
        environment.out().println(bindings);
    }

    private static final java.util.regex.Pattern THUMBPRINT = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

    /** Whether the token claims a certificate binding (RFC 8705): a {@code cnf} object with {@code x5t#S256}. */
    private static boolean claimsCertificateBinding(JwtPrincipal principal) {
        return principal.claim("cnf") instanceof java.util.Map<?, ?> confirmation && confirmation.containsKey("x5t#S256");
    }

    /** Its {@code cnf.x5t#S256} when the servers can hold it to it (43 base64url characters), else null. */
    private static String certificateThumbprint(JwtPrincipal principal) {
        return claimsCertificateBinding(principal)
                && ((java.util.Map<?, ?>) principal.claim("cnf")).get("x5t#S256") instanceof String thumbprint
                && THUMBPRINT.matcher(thumbprint).matches() ? thumbprint : null;
    }

    /** How long to wait for the near-cache, which starts with the check, to be in use or refused. */
    private static final long SUBSCRIPTION_WAIT_MILLIS = 3000;

    /**
     * The near-cache's pub/sub mode once it is in use (fresh), or Redis's refusal of the subscription (no line without a
     * near-cache). Not as soon as the mode is known: a subscription made may yet be refused its first heartbeat.
     */
    private static void printNearCache(RevocationService revocation, boolean cluster, CliEnvironment environment) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SUBSCRIPTION_WAIT_MILLIS);
        Optional<NearCacheStats> stats = revocation.nearCacheStats();
        while (stats.isPresent() && !stats.get().fresh() && stats.get().refusal() == null
                && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            stats = revocation.nearCacheStats();
        }
        stats.map(s -> s.refusal() != null ? refusedLine(s.refusal()) : pubSubLine(s.pubSubMode(), cluster))
                .ifPresent(environment.out()::println);
    }

    /** Redis refused the subscription or its heartbeat: the near-cache never gets fresh under this redis.user. */
    private static String refusedLine(String refusal) {
        return "near-cache: subscription refused by Redis (" + Printable.of(refusal) + "): every check reads Redis (see the"
                + " ACL in docs/revocation.md)";
    }

    /** @param cluster whether the store is a Redis Cluster: on one server there is no shard, and no bus to cross */
    static String pubSubLine(String mode, boolean cluster) {
        return switch (mode) {
            case "sharded" -> "near-cache: sharded pub/sub (Redis 7+: " + (cluster
                    ? "announcements stay in the events channel's shard)" : "one server)");
            case "classic" -> "near-cache: classic pub/sub (Redis 6: " + (cluster
                    ? "announcements cross the cluster bus to every node)" : "one server)");
            default -> "near-cache: not subscribed within " + SUBSCRIPTION_WAIT_MILLIS / 1000 + " s (mode unknown)";
        };
    }

    private static ExitCode refused(Rejection rejection, String identity, CliEnvironment environment) {
        String verdict = switch (rejection) {
            case EXPIRED -> "expired";
            case REVOKED -> "revoked";
            default -> "invalid";
        };
        environment.out().println(verdict + ": " + rejection + " (" + rejection.detail() + ")" + identity);
        return ExitCode.TOKEN_REFUSED;
    }
}
