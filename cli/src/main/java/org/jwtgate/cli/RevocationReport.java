package org.jwtgate.cli;

import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.revocation.RevocationResult;

/** What revoke-token and revoke-user share: which stores they accept, and how a write is reported. */
final class RevocationReport {

    private RevocationReport() {
    }

    /** Only a store the servers share can carry a revocation from this process to them. */
    static void requireSharedStore(JwtGateConfig config) {
        RevocationSettings.StoreType store = config.revocation().store();
        if (store == RevocationSettings.StoreType.NONE) {
            throw CliException.usage("Setting [" + ConfigKeys.REVOCATION_STORE
                    + "] is [none]: there is no store to record a revocation in");
        }
        if (store == RevocationSettings.StoreType.MEMORY) {
            throw CliException.usage("Setting [" + ConfigKeys.REVOCATION_STORE + "] is [memory], which lives inside "
                    + "each server's JVM and cannot be reached from here; use [redis-cluster] or [redis]");
        }
    }

    /** What running a token's revocation again does: the same write. */
    static final String SAME_WRITE = "it is idempotent";

    /**
     * Prints the outcome; a write not confirmed by enough replicas is a failure (exit 4): retry it, unless its master
     * has fewer replicas than required (the store's WARN says so, with both numbers). {@code retry} says
     * what running the command again does ({@link #SAME_WRITE}, or what a user's new instant also refuses).
     */
    static ExitCode report(String what, RevocationResult result, String retry, CliEnvironment environment) {
        if (result.durable()) {
            environment.out().println(what + ": durable (" + replicas(result) + ")");
            return ExitCode.OK;
        }
        // Only the store knows how many replicas the master has: its WARN, just above on stderr, says when it has fewer.
        throw new CliException(ExitCode.NOT_DURABLE, what + " on the master, but NOT durable: " + replicas(result)
                + "; a failover could lose it. Run the same command again (" + retry + "), unless the warning above says"
                + " its master has fewer replicas than " + ConfigKeys.REVOCATION_MIN_REPLICAS + "="
                + result.replicasRequired() + ": then no run confirms it until it has that many");
    }

    private static String replicas(RevocationResult result) {
        if (result.replicasRequired() == 0) {
            return "no replica confirmation required, revocation.min-replicas=0";
        }
        return result.replicasConfirmed() + " of " + result.replicasRequired() + " required replicas confirmed";
    }
}
