package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testkit.logs.CapturedLog;
import org.mockito.ArgumentCaptor;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** The store's use of connections, with a mocked connection; the real thing is proven by the *IT classes. */
class RedisClusterRevocationStoreTest {

    private static final HostAndPort NODE = new HostAndPort("127.0.0.1", 7001);
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final TokenRef TOKEN = new TokenRef("iss", "alice", "jti-1", NOW, NOW.plusSeconds(60));

    private final Connection connection = mock(Connection.class);
    private final OneNode connections = new OneNode(connection);

    @Test
    @SuppressWarnings("unchecked")
    void whenRevokingThenWriteAndWaitGoOverTheSameConnection() {
        when(connection.getSoTimeout()).thenReturn(500);
        when(connection.executeCommand(any(CommandObject.class))).thenReturn(1L, 1L);
        RevocationResult result = store(1).revokeToken(TOKEN, Duration.ofSeconds(90));
        assertEquals(new RevocationResult(true, 1, 1), result);
        ArgumentCaptor<CommandObject<?>> commands = ArgumentCaptor.forClass(CommandObject.class);
        verify(connection, times(2)).executeCommand(commands.capture());
        assertEquals(List.of("EVAL", "WAIT"), commands.getAllValues().stream()
                .map(c -> c.getArguments().getCommand().toString()).toList());
        assertEquals(1, connections.borrowed, "one borrowed connection for the write and its WAIT");
    }

    @Test
    @SuppressWarnings("unchecked")
    void whenWaitCountsNoReplicaThenNotDurable() {
        when(connection.getSoTimeout()).thenReturn(500);
        when(connection.executeCommand(any(CommandObject.class))).thenReturn(1L, 0L);
        RevocationResult result = store(1).revokeUser("alice", NOW, Duration.ofHours(1));
        assertFalse(result.durable());
        assertEquals(0, result.replicasConfirmed());
    }

    @Test
    @SuppressWarnings("unchecked")
    void whenSlotMigratingThenCheckFallsBackToOneKeyAtATime() {
        when(connection.executeCommand(any(CommandObject.class)))
                .thenThrow(new JedisDataException("TRYAGAIN Multiple keys request during rehashing of slot"))
                .thenReturn(null, "1");
        assertTrue(store(0).isRevoked(TOKEN));
        ArgumentCaptor<CommandObject<?>> commands = ArgumentCaptor.forClass(CommandObject.class);
        verify(connection, times(3)).executeCommand(commands.capture());
        assertEquals(List.of("MGET", "GET", "GET"), commands.getAllValues().stream()
                .map(c -> c.getArguments().getCommand().toString()).toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void whenCheckAnswersNothingStoredThenNotRevoked() {
        List<String> none = new ArrayList<>();
        none.add(null);
        none.add(null);
        when(connection.executeCommand(any(CommandObject.class))).thenReturn(none);
        assertFalse(store(0).isRevoked(TOKEN));
    }

    @Test
    @SuppressWarnings("unchecked")
    void whenRedisUnreachableThenOnlyRevocationUnavailableEscapes() {
        when(connection.executeCommand(any(CommandObject.class))).thenThrow(new JedisConnectionException("refused"));
        RedisClusterRevocationStore store = store(1);
        assertThrows(RevocationUnavailableException.class, () -> store.isRevoked(TOKEN));
        assertThrows(RevocationUnavailableException.class, () -> store.revokeToken(TOKEN, Duration.ofSeconds(1)));
        assertThrows(RevocationUnavailableException.class, () -> store.revokeUser("alice", NOW, Duration.ofSeconds(1)));
    }

    /**
     * A node outside a cluster tells only how many replicas are connected ({@code INFO replication}'s
     * {@code connected_slaves}): one of two replicas restarting shows as 1, and a retry confirms once it is back. The
     * WARN must not say the master has 1 replica and that no retry helps (add replicas, or lower the setting).
     */
    @Test
    @SuppressWarnings("unchecked")
    void whenOnlyInfoCountsTheReplicasThenTheWarnSaysConnectedReplicasNotThatTheMasterHasFewer() {
        when(connection.getSoTimeout()).thenReturn(500);
        when(connection.getHostAndPort()).thenReturn(NODE);
        when(connection.executeCommand(any(CommandObject.class))).thenReturn(1L, 1L)
                .thenThrow(new JedisDataException("ERR This instance has cluster support disabled"))
                .thenReturn("# Replication\r\nrole:master\r\nconnected_slaves:1\r\n");
        CapturedLog log = CapturedLog.during(() -> assertFalse(store(2).revokeUser("alice", NOW, Duration.ofHours(1))
                .durable()));
        String warning = log.lines().stream().filter(line -> line.contains("not durable")).findFirst().orElseThrow();
        assertFalse(warning.contains("has 1 replica,"), warning);
        assertTrue(warning.contains("; its master 127.0.0.1:7001 has 1 connected replica, fewer than "
                + "revocation.min-replicas=2: no retry confirms it until 2 are connected (start or add replicas, or "
                + "lower the setting)"), warning);
    }

    /**
     * A slot migrating while a token is revoked (allowlist mode): its two keys are written one by one, here on two
     * masters, and the revocation holds once either write is confirmed. Both short, the WARN named the first master
     * alone: "has 1 replica, fewer than revocation.min-replicas=2: no retry confirms it", though the other master has 2
     * replicas and a retry can be confirmed there.
     */
    @Test
    void whenASlotMigratesAndOneOfItsTwoMastersHasEnoughReplicasThenTheWarnDoesNotSayNoRetryConfirmsIt() {
        String warning = shortKeyByKeyRevocationWarning(1, 2);
        assertTrue(warning.contains("1 of 2 replicas confirmed it"), warning);
        assertFalse(warning.contains("no retry"), warning);
    }

    /** Both masters of a migrating slot with fewer replicas than required: the WARN names each, with its count. */
    @Test
    void whenASlotMigratesAndBothItsMastersHaveTooFewReplicasThenTheWarnNamesBoth() {
        String warning = shortKeyByKeyRevocationWarning(1, 0);
        assertTrue(warning.contains("; its masters 127.0.0.1:7001 (1 replica) and 127.0.0.1:7002 (0 replicas), between"
                + " which its slot is migrating, have fewer than revocation.min-replicas=2: no retry confirms it until one"
                + " of them has 2 (add replicas, or lower the setting)"), warning);
    }

    /**
     * A retried allowlist revocation while the slot migrates: the jti entry's write is not confirmed (WAIT 0), and the
     * live entry, already gone, is deleted from nothing on the other master, whose WAIT counts an older write's
     * replica. That DEL wrote nothing, so it confirms nothing: the revocation was reported durable, and the caller
     * stopped retrying while a failover could lose the jti entry.
     */
    @Test
    void whenASlotMigratesAndTheLiveEntryWasAlreadyGoneThenItsDeletionConfirmsNothing() {
        RevocationResult result = keyByKeyRevocation(1,
                List.of(1L, 0L, clusterNodes("aaa", 1)), // the script, its WAIT, then CLUSTER NODES (short)
                List.of(0L, 1L)); // DEL of nothing, its WAIT

        assertEquals(new RevocationResult(false, 0, 1), result);
    }

    /**
     * An allowlist revocation with min-replicas=2 whose script meets TRYAGAIN on the first master: the jti entry is
     * then written there, the live entry's removal on the second; each WAIT counts 1 replica.
     */
    private static String shortKeyByKeyRevocationWarning(int replicasOfFirst, int replicasOfSecond) {
        CapturedLog log = CapturedLog.during(() -> assertEquals(new RevocationResult(false, 1, 2),
                keyByKeyRevocation(2, List.of(1L, 1L, clusterNodes("aaa", replicasOfFirst)),
                        List.of(1L, 1L, clusterNodes("bbb", replicasOfSecond)))));
        return log.lines().stream().filter(line -> line.contains("not durable")).findFirst().orElseThrow();
    }

    /**
     * An allowlist revocation whose script meets TRYAGAIN on the first master (a migrating slot), then goes key by key:
     * the jti entry on the first master, the live entry's removal on the second. Each connection answers its replies
     * in turn: the command, its WAIT, then CLUSTER NODES when the WAIT is short of min-replicas.
     */
    @SuppressWarnings("unchecked")
    private static RevocationResult keyByKeyRevocation(int minReplicas, List<Object> firstReplies, List<Object> secondReplies) {
        HostAndPort second = new HostAndPort("127.0.0.1", 7002);
        Connection first = mock(Connection.class);
        Connection other = mock(Connection.class);
        when(first.getSoTimeout()).thenReturn(500);
        when(other.getSoTimeout()).thenReturn(500);
        when(first.getHostAndPort()).thenReturn(NODE);
        when(other.getHostAndPort()).thenReturn(second);
        when(first.executeCommand(any(CommandObject.class)))
                .thenThrow(new JedisDataException("TRYAGAIN Multiple keys request during rehashing of slot"))
                .thenReturn(firstReplies.get(0), firstReplies.subList(1, firstReplies.size()).toArray());
        when(other.executeCommand(any(CommandObject.class)))
                .thenReturn(secondReplies.get(0), secondReplies.subList(1, secondReplies.size()).toArray());
        StubMasterConnections twoMasters = new StubMasterConnections() {
            @Override
            public HostAndPort masterFor(String key) {
                return key.contains(":live:") ? second : NODE;
            }

            @Override
            public Connection connect(HostAndPort node) {
                return node.equals(NODE) ? first : other;
            }
        };
        RedisSettings redis = new RedisSettings(List.of(new RedisNode("127.0.0.1", 7001)), "jwtgate:", 500, 3, 4,
                null, null, false);
        RevocationSettings revocation = new RevocationSettings(RevocationSettings.StoreType.REDIS_CLUSTER,
                RevocationSettings.Mode.ALLOWLIST, RevocationSettings.FailureMode.CLOSED, minReplicas, 200, 5, false, 100);
        return new RedisClusterRevocationStore(twoMasters, new JedisClientSettings(redis), revocation)
                .revokeToken(TOKEN, Duration.ofSeconds(90));
    }

    /** A master's {@code CLUSTER NODES} answer: itself, then {@code replicas} replicas of it. */
    private static String clusterNodes(String id, int replicas) {
        StringBuilder nodes = new StringBuilder(id + " 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-16383\n");
        for (int i = 0; i < replicas; i++) {
            nodes.append("r").append(id).append(i).append(" 127.0.0.1:").append(7100 + i).append("@17100 slave ")
                    .append(id).append(" 0 0 1 connected\n");
        }
        return nodes.toString();
    }

    private RedisClusterRevocationStore store(int minReplicas) {
        RedisSettings redis = new RedisSettings(List.of(new RedisNode("127.0.0.1", 7001)), "jwtgate:", 500, 3, 4,
                null, null, false);
        RevocationSettings revocation = new RevocationSettings(RevocationSettings.StoreType.REDIS_CLUSTER,
                RevocationSettings.Mode.DENYLIST, RevocationSettings.FailureMode.CLOSED, minReplicas, 200, 5, false, 100);
        return new RedisClusterRevocationStore(connections, new JedisClientSettings(redis), revocation);
    }

    private static final class OneNode extends StubMasterConnections {
        private final Connection connection;
        int borrowed;

        OneNode(Connection connection) {
            this.connection = connection;
        }

        @Override
        public HostAndPort masterFor(String key) {
            return NODE;
        }

        @Override
        public Connection connect(HostAndPort node) {
            borrowed++;
            return connection;
        }
    }
}
