package org.jwtgate.internal.revocation.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.RevocationUnconfirmedException;
import org.jwtgate.revocation.TokenRef;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisDataException;
import org.jwtgate.internal.log.Log;

/**
 * The revocation operations over Redis, the same for a cluster and a single node; subclasses
 * only choose the {@link MasterConnections}. A check is one read-only round trip to one node; a
 * write is the command plus, when {@code revocation.min-replicas > 0}, a {@code WAIT} on the same
 * connection. Such writes hold at most half of their master's {@code redis.pool-size} connections at once: a
 * write keeps its connection while WAIT waits (up to {@code revocation.replica-timeout-ms}), and checks borrow
 * from the same pools.
 */
abstract class AbstractRedisRevocationStore implements RevocationStore {

    private static final Log LOG = Log.of(AbstractRedisRevocationStore.class);

    private final MasterConnections connections;
    private final RedisCommandRunner runner;
    private final RevocationCommands commands;
    private final ReplicationWait replication;
    /**
     * Writes that may wait for replicas, in flight at once, by master (each has its own pool). Without a bound,
     * revocations waiting on a slow or paused replica took every pooled connection of their master, and its checks
     * failed (503) for want of one; one bound for all masters would let that replica refuse the others' revocations.
     */
    private final ConcurrentMap<HostAndPort, Semaphore> replicaWaits = new ConcurrentHashMap<>();
    private final int replicaWaitsPerMaster;
    /** Where a write goes while no master is known for its slot: the runner rediscovers, then retries. */
    private static final HostAndPort NO_MASTER_KNOWN = new HostAndPort("", 0);

    AbstractRedisRevocationStore(MasterConnections connections, JedisClientSettings settings, RevocationSettings revocation) {
        this.connections = connections;
        this.runner = new RedisCommandRunner(connections, settings);
        this.commands = new RevocationCommands(new RevocationKeys(settings.keyPrefix()), revocation.mode());
        this.replication = new ReplicationWait(revocation.minReplicas(), revocation.replicaTimeoutMs());
        this.replicaWaitsPerMaster = Math.max(1, settings.poolSize() / 2);
    }

    @Override
    public boolean isRevoked(TokenRef token) {
        List<String> keys = commands.checkKeys(token);
        long deadline = runner.deadline();
        List<String> values;
        try {
            values = runner.run("revocation check", keys.get(0), true, deadline,
                    connection -> connection.executeCommand(commands.check(keys)));
        } catch (RedisCommandRunner.SlotMigratingException e) {
            values = readOneByOne(keys, deadline);
        }
        return commands.isRevoked(token, values);
    }

    /**
     * During a slot migration a multi-key read answers TRYAGAIN; single-key reads follow ASK to wherever each key
     * is, within what is left of the check's budget.
     */
    private List<String> readOneByOne(List<String> keys, long deadline) {
        List<String> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            values.add(runner.run("revocation check", key, false, deadline,
                    connection -> connection.executeCommand(commands.get(key))));
        }
        return values;
    }

    @Override
    public RevocationResult revokeToken(TokenRef token, Duration ttl) {
        if (!commands.revokesSeveralKeys()) {
            return write("token revocation", commands.routingKey(token), commands.revokeToken(token, ttl));
        }
        long deadline = runner.deadline(); // shared by the script and, after TRYAGAIN, the key-by-key steps
        try {
            return reported("token revocation",
                    confirmedWrite("token revocation", commands.routingKey(token), true, deadline, commands.revokeToken(token, ttl)));
        } catch (RedisCommandRunner.SlotMigratingException e) {
            // The user's slot is migrating and its keys are split between two nodes: the script answers TRYAGAIN
            // until the move ends; single-key commands follow ASK to wherever each key is. Either step alone
            // refuses the token (jti present, or live gone), so the better-replicated one is the result; but a DEL
            // that found no live entry wrote nothing, and its WAIT counted an older write's replicas: it proves nothing.
            List<Written> steps = new ArrayList<>(2);
            Written strongest = null;
            for (RevocationCommands.KeyedCommand step : commands.revokeTokenKeyByKey(token, ttl)) {
                Written written = confirmedWrite("token revocation", step.key(), false, deadline, step.command());
                steps.add(written);
                boolean wroteNothing = Long.valueOf(0).equals(written.reply());
                if (strongest == null || !wroteNothing
                        && written.result().replicasConfirmed() > strongest.result().replicasConfirmed()) {
                    strongest = written; // the first step, the jti entry's script, always writes
                }
            }
            return reported("token revocation", strongest.result(), steps);
        }
    }

    @Override
    public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
        return write("user revocation", commands.routingKey(subject), commands.revokeUser(subject, instant, ttl));
    }

    @Override
    public RevocationResult register(TokenRef token, Duration ttl) {
        return write("token registration", commands.routingKey(token), commands.register(token, ttl));
    }

    /** A one-key write: the command, then {@code WAIT}, within the call's budget. */
    private RevocationResult write(String operation, String routingKey, CommandObject<?> command) {
        return reported(operation, confirmedWrite(operation, routingKey, false, runner.deadline(), command));
    }

    /**
     * A write's answer and confirmation, and when it is short, how many replicas its master has (count -1: not known).
     */
    private record Written(Object reply, RevocationResult result, HostAndPort master,
                           ReplicationWait.MasterReplicas replicasOfMaster) {
    }

    /**
     * The command, then {@code WAIT} on the same connection; retried until {@code deadline}.
     *
     * @param failOnTryAgain for a multi-key command: throw {@link RedisCommandRunner.SlotMigratingException} at once on TRYAGAIN
     */
    private Written confirmedWrite(String operation, String routingKey, boolean failOnTryAgain, long deadline,
                                   CommandObject<?> command) {
        Semaphore places = replication.minReplicas() > 0 ? replicaWaitsOf(routingKey) : null;
        if (places != null) {
            acquireReplicaWait(places, operation, deadline);
        }
        try {
            return runner.run(operation, routingKey, failOnTryAgain, deadline, connection -> {
                Object reply = connection.executeCommand(command);
                try {
                    RevocationResult result = replication.confirm(connection);
                    // Only when short: a master with fewer replicas than required is no replica slow for a moment.
                    return new Written(reply, result, connection.getHostAndPort(),
                            result.durable() ? ReplicationWait.MasterReplicas.UNKNOWN
                                    : ReplicationWait.replicasOfMaster(connection));
                } catch (JedisDataException e) {
                    String refusal = AccessRefusal.of(e);
                    if (refusal == null) {
                        throw e;
                    }
                    // Written, so in force: "failed" alone would tell the caller that nothing changed. Health counts
                    // it as any revocation no replica confirmed.
                    runner.metrics().notDurable();
                    throw new RevocationUnconfirmedException("Redis " + operation + " is stored and in force, but Redis"
                            + " refused the WAIT that confirms it on replicas (" + refusal + ")", replication.minReplicas(), e);
                }
            });
        } catch (RevocationUnavailableException e) {
            // Redis answers the checks but refuses writes (OOM, NOREPLICAS, MISCONF, READONLY): no revocation can be
            // stored, which health's probes (they write nothing) cannot see. Noted on this failure path only.
            String writesRefused = AccessRefusal.ofWrite(e);
            if (writesRefused != null) {
                runner.metrics().writesRefused(GateMetrics.RedisWrite.REVOCATION, writesRefused);
            }
            throw e;
        } finally {
            if (places != null) {
                places.release();
            }
        }
    }

    /** The places of the master serving {@code routingKey}, as last known. */
    private Semaphore replicaWaitsOf(String routingKey) {
        HostAndPort master;
        try {
            master = connections.masterFor(routingKey);
        } catch (RuntimeException e) {
            master = NO_MASTER_KNOWN; // a Jedis exception: the runner meets it again, and retries or reports it
        }
        return replicaWaits.computeIfAbsent(master, m -> new Semaphore(replicaWaitsPerMaster));
    }

    /** A place among the writes that may wait for replicas, within the call's budget. */
    private static void acquireReplicaWait(Semaphore places, String operation, long deadline) {
        try {
            if (!places.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new RevocationUnavailableException("Redis " + operation + " not sent: half of its master's redis.pool-size"
                        + " connections already hold writes waiting for replicas");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RevocationUnavailableException("Interrupted while waiting to write to Redis", e);
        }
    }

    private RevocationResult reported(String operation, Written written) {
        return reported(operation, written.result(), List.of(written));
    }

    /**
     * Counts and logs a write short of replicas, once per operation: {@code steps} are its writes, one, or during a
     * slot migration one per key, where {@code result} is the best confirmed.
     */
    private RevocationResult reported(String operation, RevocationResult result, List<Written> steps) {
        if (!result.durable()) {
            runner.metrics().notDurable();
            LOG.warn("Redis {} is in force but not durable: {} of {} replicas confirmed it within {} ms{}",
                    operation, result.replicasConfirmed(), result.replicasRequired(), replication.replicaTimeoutMs(),
                    tooFewReplicas(steps, result.replicasRequired()));
        }
        return result;
    }

    /**
     * When every master written to has fewer replicas than required, what the short-write WARN adds: no retry confirms
     * it. A slot migrating, the steps went to two masters, and one confirmed step is enough: while either has the
     * replicas (or says nothing of them), a retry may be confirmed there.
     */
    private static String tooFewReplicas(List<Written> steps, int required) {
        Map<HostAndPort, ReplicationWait.MasterReplicas> masters = new LinkedHashMap<>();
        steps.forEach(step -> masters.putIfAbsent(step.master(), step.replicasOfMaster()));
        // INFO counts only the replicas connected now: one restarting is no replica missing for good.
        boolean connectedOnly = false;
        for (ReplicationWait.MasterReplicas replicas : masters.values()) {
            if (replicas.count() < 0 || replicas.count() >= required) {
                return "";
            }
            connectedOnly |= replicas.connectedOnly();
        }
        String fewer = "fewer than " + ConfigKeys.REVOCATION_MIN_REPLICAS + "=" + required + ": no retry confirms it until ";
        if (masters.size() == 1) {
            Map.Entry<HostAndPort, ReplicationWait.MasterReplicas> master = masters.entrySet().iterator().next();
            return "; its master " + master.getKey() + " has " + replicas(master.getValue()) + ", " + fewer
                    + (connectedOnly ? required + " are connected (start or add replicas, or lower the setting)"
                            : "it has " + required + " (add replicas, or lower the setting)");
        }
        List<String> named = new ArrayList<>();
        masters.forEach((master, replicas) -> named.add(master + " (" + replicas(replicas) + ")"));
        return "; its masters " + String.join(" and ", named) + ", between which its slot is migrating, have " + fewer
                + (connectedOnly ? required + " are connected to one of them (start or add replicas, or lower the setting)"
                        : "one of them has " + required + " (add replicas, or lower the setting)");
    }

    /** {@code 1 replica}, {@code 2 connected replicas}. */
    private static String replicas(ReplicationWait.MasterReplicas replicas) {
        return replicas.count() + (replicas.connectedOnly() ? " connected" : "")
                + (replicas.count() == 1 ? " replica" : " replicas");
    }

    /**
     * Also tells health ({@link org.jwtgate.internal.metrics.GateMetrics#storeRefusal()}) why, when Redis refuses the
     * user; and, when the checks' read passes, whether Redis refuses the revocations' script or commands
     * ({@link org.jwtgate.internal.metrics.GateMetrics#writeRefusal()}): the checks still answer then, so the store is
     * healthy, but no revocation can be stored.
     */
    @Override
    public boolean isHealthy() {
        RuntimeException failure = connections.probe(commands::probe);
        runner.metrics().storeRefusal(failure == null ? null : AccessRefusal.of(failure));
        String writeRefusal = null;
        if (failure == null) {
            // Only a refusal counts: a master that stops answering in between is the next probe's matter.
            writeRefusal = AccessRefusal.of(connections.probe(commands::writeProbe));
        }
        runner.metrics().writeRefusal(writeRefusal);
        return failure == null;
    }

    /**
     * Health's probe of every master, for the start-up check, saying why Redis refuses the checks' read (NOPERM,
     * WRONGPASS); null when it does not refuse it. A master that does not answer does not stop it asking the others.
     */
    String probeRefusal() {
        return AccessRefusal.of(connections.probeEveryMaster(commands::probe));
    }

    /**
     * As {@link #probeRefusal()}, for the revocations' script and commands ({@link RevocationCommands#WRITE_PROBE_SCRIPT}):
     * why Redis refuses them on any master, or null.
     */
    String writeRefusal() {
        return AccessRefusal.of(connections.probeEveryMaster(commands::writeProbe));
    }

    @Override
    public String describe() {
        return connections.describe() + ", min-replicas=" + replication.minReplicas();
    }

    @Override
    public void close() {
        connections.close();
    }
}
