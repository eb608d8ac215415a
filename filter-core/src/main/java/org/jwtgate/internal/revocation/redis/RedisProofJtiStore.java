package org.jwtgate.internal.revocation.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.ProofJtiStore;
import org.jwtgate.internal.revocation.ProofRecordFullException;
import org.jwtgate.internal.revocation.ProofRecordId;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationUnavailableException;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Used DPoP proofs in Redis (Cluster or one node), on the revocation store's connections: one
 * {@code SET key id NX PX window} per proof on the master of the user's slot, the same node a
 * revocation check of that user reads — one round trip. A second use anywhere finds the key and is
 * refused.
 *
 * <p>The command runs as a tiny script so a retry stays correct: a call whose first attempt timed out
 * may have set the key already, and its retry would then look like a replay. Each call writes its own
 * random id (the request's, {@link ProofRecordId}, when one is open), and a key holding that same id counts as this
 * call's first use. Not followed by {@code WAIT}: a master that dies before replicating a record forgets it (a replay window of the
 * failover, at most the proof window), which buys one round trip per request.
 */
final class RedisProofJtiStore implements ProofJtiStore {

    /** KEYS[1] = proof key, ARGV[1] = this call's id, ARGV[2] = window (ms); 1 = first use, 0 = used before. */
    static final String FIRST_USE_SCRIPT = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
            return 0
            """;

    /**
     * Health's probe, KEYS[1] = a key under {@code <prefix>dpop:} never written: whether this user may run the
     * record's commands on it ({@code redis.acl_check_cmd}, Redis 7+), so the probe writes nothing; on Redis 6 the
     * record's read. Run with {@code EVAL}, as the record is: a user without {@code +eval}, or whose key patterns
     * leave out the proof records, is refused as the record would be.
     */
    static final String PROBE_SCRIPT = """
            if redis.acl_check_cmd then
              if not redis.acl_check_cmd('SET', KEYS[1], '1', 'NX', 'PX', '1') then
                return redis.error_reply("NOPERM this user has no permissions to run the 'set' command of the DPoP proof record")
              end
              if not redis.acl_check_cmd('GET', KEYS[1]) then
                return redis.error_reply("NOPERM this user has no permissions to run the 'get' command of the DPoP proof record")
              end
              return 1
            end
            return redis.call('GET', KEYS[1])
            """;

    private final MasterConnections connections;
    private final RedisCommandRunner runner;
    private final RevocationKeys keys;
    private final boolean ownsConnections;
    /** Probe commands by slot: a probe asks one slot per master, the same ones while the topology stays. */
    private final Map<Integer, CommandObject<Object>> probes = new ConcurrentHashMap<>();

    /** @param ownsConnections whether {@link #close()} closes the connections (false when the revocation store owns them) */
    RedisProofJtiStore(MasterConnections connections, JedisClientSettings settings, boolean ownsConnections) {
        this.connections = connections;
        this.runner = new RedisCommandRunner(connections, settings);
        this.keys = new RevocationKeys(settings.keyPrefix());
        this.ownsConnections = ownsConnections;
    }

    @Override
    public boolean firstUse(String subject, String keyThumbprint, String proofId, Duration window) {
        return record(keys.proofKey(subject, keyThumbprint, proofId), window);
    }

    @Override
    public boolean firstTokenRequestUse(String keyThumbprint, String proofId, Duration window) {
        return record(keys.tokenRequestProofKey(keyThumbprint, proofId), window);
    }

    private boolean record(String key, Duration window) {
        CommandObject<Long> command = firstUse(key, ProofRecordId.currentOrFresh(), Math.max(1, window.toMillis()));
        Long result;
        try {
            result = runner.run("DPoP proof record", key, connection -> connection.executeCommand(command));
        } catch (RevocationUnavailableException e) {
            if (isOutOfMemory(e)) {
                throw new ProofRecordFullException(e.getMessage(), e);
            }
            // Redis answers reads but refuses writes (NOREPLICAS, MISCONF, READONLY): every new proof on that master
            // goes unrecorded, which health's probes (they write nothing) cannot see. Noted on this failure path only.
            String writesRefused = AccessRefusal.ofWrite(e);
            if (writesRefused != null) {
                runner.metrics().writesRefused(GateMetrics.RedisWrite.PROOF_RECORD, writesRefused);
            }
            throw e;
        }
        if (result == null) {
            throw new RevocationUnavailableException("Redis answered nothing to a DPoP proof record");
        }
        return result == 1L;
    }

    /**
     * Redis answered OOM: a master at maxmemory under noeviction, which proofs sent in bulk can bring about. Redis 7
     * answers the script with the OOM error itself, Redis 6 wraps it in "ERR Error running script".
     */
    private static boolean isOutOfMemory(RevocationUnavailableException e) {
        return e.getCause() instanceof JedisDataException refused && refused.getMessage() != null
                && refused.getMessage().contains("OOM command not allowed");
    }

    static CommandObject<Long> firstUse(String key, String callId, long windowMillis) {
        CommandArguments arguments = new CommandArguments(Protocol.Command.EVAL).add(FIRST_USE_SCRIPT).add(1).key(key)
                .add(callId).add(windowMillis);
        return new CommandObject<>(arguments, BuilderFactory.LONG);
    }

    @Override
    public String probeRefusal() {
        RuntimeException failure = connections.probe(this::probe);
        String refusal = AccessRefusal.of(failure);
        if (refusal == null && failure != null && ownsConnections) {
            // The revocation store is the application's, so no other probe sees this Redis, and every DPoP request
            // gets 503 (failing closed) while it does not answer.
            return "Redis does not answer";
        }
        return refusal;
    }

    /** As {@link #probeRefusal()}, for the start-up check: asks every master, also after one did not answer. */
    String refusalAtStart() {
        return AccessRefusal.of(connections.probeEveryMaster(this::probe));
    }

    private CommandObject<Object> probe(int slot) {
        return probes.computeIfAbsent(slot, s -> new CommandObject<>(new CommandArguments(Protocol.Command.EVAL)
                .add(PROBE_SCRIPT).add(1).key(keys.proofProbeKey(RevocationCommands.tagOf(s))), BuilderFactory.RAW_OBJECT));
    }

    @Override
    public void close() {
        if (ownsConnections) {
            connections.close();
        }
    }
}
