package org.jwtgate.internal.revocation.redis;

import org.jwtgate.revocation.RevocationResult;
import redis.clients.jedis.Connection;

/**
 * Confirms a write with {@code WAIT min-replicas replica-timeout-ms} on the connection that made
 * it. WAIT counts only the writes of its own connection: sent on any other connection it proves
 * nothing (jedis #1867), which is why the store borrows one connection for both.
 */
final class ReplicationWait {

    private final int minReplicas;
    private final int replicaTimeoutMs;

    ReplicationWait(int minReplicas, int replicaTimeoutMs) {
        this.minReplicas = minReplicas;
        this.replicaTimeoutMs = replicaTimeoutMs;
    }

    /** Call right after the write, on the same connection. */
    RevocationResult confirm(Connection sameConnection) {
        if (minReplicas == 0) {
            return RevocationResult.confirmed(0, 0);
        }
        int socketTimeout = sameConnection.getSoTimeout();
        // WAIT may legitimately take replica-timeout-ms: do not let the read time out before it.
        sameConnection.setSoTimeout(socketTimeout + replicaTimeoutMs);
        long acknowledged;
        try {
            acknowledged = sameConnection.executeCommand(RevocationCommands.waitReplicas(minReplicas, replicaTimeoutMs));
        } finally {
            if (!sameConnection.isBroken()) {
                sameConnection.setSoTimeout(socketTimeout);
            }
        }
        return RevocationResult.confirmed((int) Math.min(Integer.MAX_VALUE, acknowledged), minReplicas);
    }

    int minReplicas() {
        return minReplicas;
    }

    int replicaTimeoutMs() {
        return replicaTimeoutMs;
    }
}
