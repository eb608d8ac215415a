package org.jwtgate.cli;

import java.util.TreeSet;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/**
 * {@code status <jwt | ->}: what the filter would decide about a token, with the reason as a
 * stable {@link Rejection} code. Prints identifying claims only (sub, iss, jti, roles, times),
 * never the token or a key. A second line tells whether the token is DPoP-bound (RFC 9449) and to
 * which key: {@code binding: DPoP jkt=<thumbprint>}, or {@code binding: none (bearer token)}.
 */
final class StatusCommand implements CliCommand {

    @Override
    public ExitCode run(CliArguments arguments, CliEnvironment environment) {
        String jwt = TokenInput.read(arguments.operand(), environment);
        JwtGateConfig config = CliConfiguration.load(arguments, environment);
        if (config.revocation().store() == RevocationSettings.StoreType.MEMORY) {
            environment.err().println("jwtgate: warning: [" + ConfigKeys.REVOCATION_STORE + "] is [memory]: the servers' "
                    + "revocations are not visible from here; only signature and claims are checked");
        }
        try (JwtGate gate = JwtGate.start(config)) {
            JwtPrincipal principal;
            try {
                principal = gate.verify(jwt);
            } catch (InvalidTokenException e) {
                return refused(e.rejection(), "", environment);
            }
            String identity = "sub=" + principal.subject() + " iss=" + principal.issuer() + " jti=" + principal.tokenId();
            // Exactly the filter's check: a store that cannot answer ends the command with exit 3.
            if (gate.revocation().isRevoked(principal)) {
                ExitCode refused = refused(Rejection.REVOKED, " " + identity, environment);
                printBinding(principal, environment);
                return refused;
            }
            environment.out().println("valid: " + identity + " principal=" + principal.getName()
                    + " roles=" + new TreeSet<>(principal.roles()) + " issued " + principal.issuedAt()
                    + " expires " + principal.expiresAt());
            printBinding(principal, environment);
            return ExitCode.OK;
        }
    }

    /** The token's DPoP binding: its {@code cnf.jkt}, the thumbprint of the key every request must prove. */
    private static void printBinding(JwtPrincipal principal, CliEnvironment environment) {
        environment.out().println(principal.dpopThumbprint()
                .map(jkt -> "binding: DPoP jkt=" + jkt + " (sender-constrained: requests need a DPoP proof by that key)")
                .orElse("binding: none (bearer token)"));
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
