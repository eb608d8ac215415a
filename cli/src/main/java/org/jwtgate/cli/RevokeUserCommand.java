package org.jwtgate.cli;

import java.time.Instant;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.config.JwtGateConfig;

/** {@code revoke-user <sub>}: refuses every token of the user issued up to now ("log out everywhere"). */
final class RevokeUserCommand implements CliCommand {

    @Override
    public ExitCode run(CliArguments arguments, CliEnvironment environment) {
        String written = arguments.operand();
        if (written.isBlank()) {
            throw CliException.usage("The subject is empty");
        }
        // `revoke-user - < user.txt`, as for revoke-token -: it would revoke a user named "-" and leave the one meant.
        if (CliArguments.STDIN.equals(written) && !arguments.escaped()) { // with --escaped: a user named -
            throw CliException.usage("revoke-user takes the subject itself, not - (standard input is read only for a"
                    + " token): revoke-user <sub>; nothing was done");
        }
        // `revoke-user "$TOKEN"` for revoke-token: it would revoke a user named by the token (nobody) and print it.
        if (TokenInput.looksLikeToken(written)) {
            throw CliException.usage("The subject looks like a token (not shown); revoke-user takes the user's sub claim"
                    + " (status prints it). To revoke this one token, use revoke-token -");
        }
        // As typed, or with --escaped as status prints it: mallory\\u200b is the sub "mallory" and U+200B.
        String subject = Printable.requireExactSubject("operand", written, arguments.escaped());
        String actor = Printable.requireDecoded("--actor", arguments.option("--actor"));
        String reason = Printable.requireDecoded("--reason", arguments.option("--reason"));
        JwtGateConfig config = CliConfiguration.load(arguments, environment);
        RevocationReport.requireSharedStore(config);
        try (JwtGate gate = JwtGate.start(config)) {
            Instant now = Instant.now();
            // A repeated revokeUser is no repeat of this write: it takes its own instant (docs/revocation.md).
            return RevocationReport.report("Revoked every token of sub=" + Printable.claim(subject) + " issued up to " + now,
                    gate.revocation().by(actor, reason).revokeUser(subject),
                    "it takes a new instant, so it also refuses the tokens of sub=" + Printable.claim(subject)
                            + " issued since " + now, environment);
        }
    }
}
