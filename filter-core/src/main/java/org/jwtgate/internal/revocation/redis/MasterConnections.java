package org.jwtgate.internal.revocation.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import org.jwtgate.internal.revocation.ClosedStores;
import org.jwtgate.revocation.RevocationUnavailableException;

/**
 * Where a key's commands go: the master serving the key's slot in a cluster, the one node
 * otherwise, and pooled connections to it. A caller that needs several commands on one connection
 * (a write, then {@code WAIT}) borrows it with {@link #connect}, runs them, and closes it (which
 * returns it to its pool). Methods throw Jedis exceptions; {@link RedisCommandRunner} turns them
 * into retries or {@link RevocationUnavailableException}. After {@link #close()}, {@link #masterFor} and
 * {@link #connect} throw {@link #closedFailure()} instead: no Redis fault to retry or to report.
 *
 * <p>The "something changed" callbacks return a future that completes when the topology has been
 * looked at again; callers wait for it only as long as their own time budget allows.
 */
interface MasterConnections extends AutoCloseable {

    /** The master serving {@code key}'s slot, as last known. */
    HostAndPort masterFor(String key);

    /**
     * The masters serving slots in a cluster, as last known (the client's slot map, not asked anew); empty outside a
     * cluster. May be stale: for asking each of them, never for routing.
     */
    default List<HostAndPort> masters() {
        return List.of();
    }

    /** A pooled connection to {@code node} (borrowed within {@code redis.timeout-ms}); close it to return it. */
    Connection connect(HostAndPort node);

    /** A MOVED reply: the slot map is stale. */
    CompletableFuture<Void> slotsMoved();

    /**
     * Talking to {@code node} failed (connect, read or timeout): its idle connections are probably
     * dead too (the node died or restarted), and the slot map may be stale (failover).
     */
    CompletableFuture<Void> nodeFailed(HostAndPort node);

    /** CLUSTERDOWN: the cluster is reorganising (failover in progress). */
    CompletableFuture<Void> clusterDown();

    /**
     * Whether every master answers {@code readInSlot}'s command for one of its slots now, each within
     * {@code redis.timeout-ms}; never throws. A read the checks make, not a {@code PING}: a node answers PING
     * also while it refuses the checks (NOPERM after an ACL change, CLUSTERDOWN), and the checks get 503 then.
     *
     * @return null when every master answered; otherwise the first failure (a node's own answer, such as NOPERM,
     *         is the exception or its cause)
     */
    RuntimeException probe(IntFunction<CommandObject<?>> readInSlot);

    /**
     * As {@link #probe}, for the start-up check: asks every master, also after one did not answer, and returns a
     * refusal of the configured user (WRONGPASS, NOPERM...) by any of them before a failure to answer, so that a hung
     * master does not hide another's refusal. Each master that does not answer costs up to {@code redis.timeout-ms},
     * and is named once at WARN (the filter starts all the same).
     */
    default RuntimeException probeEveryMaster(IntFunction<CommandObject<?>> readInSlot) {
        return probe(readInSlot);
    }

    /** For the start-up log, e.g. {@code redis-cluster(6 seed nodes, ...)}. */
    String describe();

    @Override
    void close();

    /**
     * What a call made after {@link #close()} fails with (a request or a revocation still under way when the filter or
     * module stopped): Redis is not to blame, which the pool's or the cluster client's own failure would say.
     */
    static RevocationUnavailableException closedFailure() {
        return ClosedStores.failure("Redis not asked");
    }
}
