package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.jwtgate.revocation.RevocationUnavailableException;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** The layout a full scan trusts, from canned {@code CLUSTER NODES} answers: every slot served exactly once. */
class ClusterLayoutTest {

    private static final HostAndPort A = new HostAndPort("127.0.0.1", 7001);
    private static final HostAndPort B = new HostAndPort("127.0.0.1", 7002);
    private static final HostAndPort C = new HostAndPort("127.0.0.1", 7003);

    @Test
    void whenThreeMastersServeEverySlotOnceThenTheLayoutListsThem() {
        ClusterLayout layout = read(Map.of(A, "0-5460", B, "5461-10922", C, "10923-16383"));
        assertEquals(List.of(A, B, C), layout.masters());
        assertEquals("5461-10922", layout.slotsByMaster().get(B.toString()));
    }

    @Test
    void whenSingleSlotsAndRangesMixThenCountedExactly() {
        ClusterLayout layout = read(Map.of(A, "0-5460 16383", B, "5461-10922", C, "10923-16382"));
        assertEquals(3, layout.masters().size());
    }

    @Test
    void whenASlotIsMissingThenRefused() {
        RevocationUnavailableException e = assertThrows(RevocationUnavailableException.class,
                () -> read(Map.of(A, "0-5460", B, "5461-10922", C, "10923-16382")));
        assertTrue(e.getMessage().contains("16383 of 16384"), e.getMessage());
    }

    /** Counts that add up to 16384 although one range is served twice and another by nobody. */
    @Test
    void whenTwoMastersClaimTheSameSlotsThenRefusedEvenIfTheCountsAddUp() {
        RevocationUnavailableException e = assertThrows(RevocationUnavailableException.class,
                () -> read(Map.of(A, "0-5460", B, "5461-10922", C, "5000-10460")));
        assertTrue(e.getMessage().contains("claimed by two masters"), e.getMessage());
    }

    @Test
    void whenASlotMigratesThenRefused() {
        RevocationUnavailableException e = assertThrows(RevocationUnavailableException.class,
                () -> read(Map.of(A, "0-5460 [5461->-abc]", B, "5461-10922", C, "10923-16383")));
        assertTrue(e.getMessage().contains("migration"), e.getMessage());
    }

    @Test
    void whenARangeIsOutOfBoundsThenRefused() {
        assertThrows(RevocationUnavailableException.class,
                () -> read(Map.of(A, "0-5460", B, "5461-10922", C, "10923-16384")));
    }

    /** A node that restarted: its pooled connections are dead, and the pool is cleared, not drained one by one. */
    @Test
    void whenANodeDropsTheConnectionThenItIsReportedFailed() {
        CannedNodes nodes = canned(Map.of(A, "0-5460", B, "5461-10922", C, "10923-16383"));
        nodes.answers.put(B, null);
        assertThrows(JedisConnectionException.class, () -> ClusterLayout.read(nodes, A));
        assertEquals(List.of(B), nodes.failed);
    }

    /** Every master sees itself with {@code slots}; the first one, the anchor, also lists the others. */
    private static ClusterLayout read(Map<HostAndPort, String> slots) {
        return ClusterLayout.read(canned(slots), A);
    }

    private static CannedNodes canned(Map<HostAndPort, String> slots) {
        Map<HostAndPort, String> ordered = new LinkedHashMap<>();
        List.of(A, B, C).forEach(node -> ordered.put(node, slots.get(node)));
        Map<HostAndPort, String> answers = new LinkedHashMap<>();
        for (HostAndPort node : ordered.keySet()) {
            StringBuilder text = new StringBuilder();
            for (Map.Entry<HostAndPort, String> other : ordered.entrySet()) {
                boolean myself = other.getKey().equals(node);
                if (myself || node.equals(A)) {
                    text.append(line(other.getKey(), myself, other.getValue())).append('\n');
                }
            }
            answers.put(node, text.toString());
        }
        return new CannedNodes(answers);
    }

    private static String line(HostAndPort node, boolean myself, String slots) {
        return "id" + node.getPort() + " " + node + "@1" + node.getPort() + " " + (myself ? "myself,master" : "master")
                + " - 0 0 1 connected " + slots;
    }

    private static final class CannedNodes extends StubMasterConnections {

        /** A node without an answer drops the connection. */
        final Map<HostAndPort, String> answers;
        final List<HostAndPort> failed = new ArrayList<>();

        CannedNodes(Map<HostAndPort, String> answers) {
            this.answers = answers;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Connection connect(HostAndPort node) {
            Connection connection = mock(Connection.class);
            String answer = answers.get(node);
            if (answer == null) {
                when(connection.executeCommand(any(CommandObject.class))).thenThrow(new JedisConnectionException("reset"));
            } else {
                when(connection.executeCommand(any(CommandObject.class))).thenReturn(answer);
            }
            return connection;
        }

        @Override
        public CompletableFuture<Void> nodeFailed(HostAndPort node) {
            failed.add(node);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public HostAndPort masterFor(String key) {
            return A;
        }
    }
}
