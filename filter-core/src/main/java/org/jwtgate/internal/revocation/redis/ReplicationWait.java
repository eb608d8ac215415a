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
     * How many replicas the master on {@code sameConnection} has, or -1 when it will not say: its {@code CLUSTER NODES}
     * (in the documented ACL), else {@code INFO replication}'s {@code connected_slaves} (a node outside a cluster, when
     * the ACL allows {@code INFO}). Asked only after a WAIT came back short, to tell a slow replica from a master
     * with fewer replicas than {@code revocation.min-replicas}, which no retry confirms.
     */
    static int replicasOfMaster(Connection sameConnection) {
        try {
            String myself = null;
            String[] lines = sameConnection.executeCommand(new CommandObject<>(new CommandArguments(Protocol.Command.CLUSTER)
                    .add(Protocol.ClusterKeyword.NODES), BuilderFactory.STRING)).split("\n");
            for (String line : lines) {
                String[] fields = line.trim().split(" ");
                if (fields.length > 3 && fields[2].contains("myself")) {
                    myself = fields[0];
                }
            }
            int replicas = 0;
            for (String line : lines) {
                String[] fields = line.trim().split(" ");
                replicas += fields.length > 3 && fields[3].equals(myself) ? 1 : 0;
            }
            return myself == null ? -1 : replicas;
        } catch (RuntimeException notInACluster) {
            // "cluster support disabled", or the ACL refuses it: INFO, then nothing.
        }
        try {
            String info = sameConnection.executeCommand(new CommandObject<>(new CommandArguments(Protocol.Command.INFO)
                    .add("replication"), BuilderFactory.STRING));
            for (String line : info.split("\n")) {
                if (line.startsWith("connected_slaves:")) {
                    return Integer.parseInt(line.substring("connected_slaves:".length()).trim());
                }
            }
        } catch (RuntimeException refused) {
            // NOPERM (the documented ACL has no +info), or the node went away: not known.
        }
        return -1;
    }

    int minReplicas() {
        return minReplicas;
    }

    int replicaTimeoutMs() {
        return replicaTimeoutMs;
    }
}
