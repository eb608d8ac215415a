package org.jwtgate.internal.revocation.redis;

import org.jwtgate.revocation.RevocationResult;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;

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

    /**
     * How many replicas a master has ({@code count}, -1 when it will not say); {@code connectedOnly} when only those
     * connected now are known ({@code INFO replication}): a replica restarting is not among them, and a retry confirms
     * once it is back.
     */
    record MasterReplicas(int count, boolean connectedOnly) {
        static final MasterReplicas UNKNOWN = new MasterReplicas(-1, false);
    }

    /**
     * How many replicas the master on {@code sameConnection} has: its {@code CLUSTER NODES} (in the documented ACL;
     * a replica marked failing is still one of its replicas), else {@code INFO replication}'s {@code connected_slaves}
     * (a node outside a cluster, when the ACL allows {@code INFO}), which counts only the replicas connected now.
     * Asked only after a WAIT came back short, to tell a slow replica from a master with fewer replicas than
     * {@code revocation.min-replicas}, which no retry confirms.
     */
    static MasterReplicas replicasOfMaster(Connection sameConnection) {
        try {
            int replicas = ClusterLayout.replicasOfMyself(sameConnection.executeCommand(ClusterLayout.CLUSTER_NODES));
            return replicas < 0 ? MasterReplicas.UNKNOWN : new MasterReplicas(replicas, false);
        } catch (RuntimeException notInACluster) {
            // "cluster support disabled", or the ACL refuses it: INFO, then nothing.
        }
        try {
            String info = sameConnection.executeCommand(new CommandObject<>(new CommandArguments(Protocol.Command.INFO)
                    .add("replication"), BuilderFactory.STRING));
            for (String line : info.split("\n")) {
                if (line.startsWith("connected_slaves:")) {
                    return new MasterReplicas(Integer.parseInt(line.substring("connected_slaves:".length()).trim()), true);
                }
            }
        } catch (RuntimeException refused) {
            // NOPERM (the documented ACL has no +info), or the node went away: not known.
        }
        return MasterReplicas.UNKNOWN;
    }

    int minReplicas() {
        return minReplicas;
    }

    int replicaTimeoutMs() {
        return replicaTimeoutMs;
    }
}
