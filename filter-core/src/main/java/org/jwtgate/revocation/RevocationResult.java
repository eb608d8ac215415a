package org.jwtgate.revocation;

/**
 * The acknowledgement of a revocation write.
 *
 * <pre>{@code
 * RevocationResult result = revocation.revokeUser("alice");
 * if (!result.durable()) {
 *     result = revocation.revokeUser("alice");   // retry until a replica confirms (a new instant: it also
 *                                                // refuses the tokens issued since the first call)
 * }
 * }</pre>
 *
 * @param durable           true when at least {@code replicasRequired} replicas confirmed the write
 *                          (always true when none are required). A non-durable revocation is in
 *                          force on the master but could be lost in a failover: retry it ({@code revoke} and
 *                          {@code revokeToken} are idempotent; a retried {@code revokeUser} takes a new instant,
 *                          so it also refuses the tokens issued since the first call)
 * @param replicasConfirmed replicas that confirmed the write (Redis {@code WAIT}); 0 for local stores
 * @param replicasRequired  {@code revocation.min-replicas}
 *
 * @since 1.0.0
 */
public record RevocationResult(boolean durable, int replicasConfirmed, int replicasRequired) {

    /**
     * For stores with nothing to replicate.
     *
     * @return a durable result with no replica required or confirmed
     */
    public static RevocationResult local() {
        return new RevocationResult(true, 0, 0);
    }

    /**
     * A write {@code replicasConfirmed} replicas confirmed: durable when that is at least {@code replicasRequired}.
     *
     * @param replicasConfirmed replicas that confirmed the write ({@code WAIT}'s answer)
     * @param replicasRequired  {@code revocation.min-replicas}
     * @return the result
     */
    public static RevocationResult confirmed(int replicasConfirmed, int replicasRequired) {
        return new RevocationResult(replicasConfirmed >= replicasRequired, replicasConfirmed, replicasRequired);
    }
}
