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

    /** A plain-server load ({@code revocation.store=redis}) refuses a node of a cluster of several masters. */
    @Test
    void whenAnAnswerListsMastersWithSlotsThenTheyAreCountedReplicasAndFailingOnesAsListed() {
        String three = line(A, true, "0-5460") + "\n" + line(B, false, "5461-10922") + "\n"
                + line(C, false, "10923-16383").replace("master", "master,fail") + "\n"
                + "e4f5 127.0.0.1:7004@17004 slave 1a2b 0 0 1 connected\n";
        assertEquals(3, ClusterLayout.mastersWithSlots(three));
        assertEquals(1, ClusterLayout.mastersWithSlots(line(A, true, "0-16383") + "\n"));
    }

    @Test
    void whenARangeIsOutOfBoundsThenRefused() {
        assertThrows(RevocationUnavailableException.class,
                () -> read(Map.of(A, "0-5460", B, "5461-10922", C, "10923-16384")));
    }

    /**
     * A cluster that announces host names ({@code cluster-announce-hostname}, with
     * {@code cluster-preferred-endpoint-type hostname}: how Redis runs TLS with certificates for names) shows them after
     * the address in {@code CLUSTER NODES}, and the client names its nodes by them. The scan must reach the masters by
     * those names too: by address, TLS refuses each connection (the certificate names no IP address), and every load
     * failed.
     */
    @Test
    void whenTheClientNamesNodesByTheHostNamesTheClusterAnnouncesThenTheMastersAreReachedByThem() {
        HostAndPort a = new HostAndPort("redis-a.example", 7001);
        Map<HostAndPort, String> answers = new LinkedHashMap<>();
        String others = announcing(B, "redis-b.example", false, "5461-10922") + announcing(C, "redis-c.example", false,
                "10923-16383");
        // Answered whichever way a node is reached: the test looks at the names the layout chose.
        for (HostAndPort node : List.of(A, a)) {
            answers.put(node, announcing(A, "redis-a.example", true, "0-5460") + others);
        }
        for (HostAndPort node : List.of(B, new HostAndPort("redis-b.example", 7002))) {
            answers.put(node, announcing(B, "redis-b.example", true, "5461-10922"));
        }
        for (HostAndPort node : List.of(C, new HostAndPort("redis-c.example", 7003))) {
            answers.put(node, announcing(C, "redis-c.example", true, "10923-16383"));
        }

        assertEquals(List.of(a, new HostAndPort("redis-b.example", 7002), new HostAndPort("redis-c.example", 7003)),
                ClusterLayout.read(new CannedNodes(answers), a).masters());
        assertEquals(List.of(A, B, C), ClusterLayout.read(new CannedNodes(answers), A).masters(),
                "a client that names nodes by address (the default endpoint type) reaches them by address");
    }

    /** Redis 7's form: {@code ip:port@cport,hostname}, and from 7.2 auxiliary fields after it. */
    private static String announcing(HostAndPort node, String hostname, boolean myself, String slots) {
        return "id" + node.getPort() + " " + node + "@1" + node.getPort() + "," + hostname + ",shard-id=s" + node.getPort()
                + " " + (myself ? "myself,master" : "master") + " - 0 0 1 connected " + slots + "\n";
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

    /** Other masters' views, for the near-cache's ownership check after a silence. */
    @Test
    void whenAViewIsAskedWhoServesASlotThenTheMasterNotFailingThatServesItIsNamed() {
        String view = String.join("\n",
                "a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460",
                "b2 127.0.0.1:7002@17002 master,fail - 0 0 2 connected",
                "d4 127.0.0.1:7004@17004 master - 0 0 4 connected 5461-10922",
                "c3 127.0.0.1:7003@17003,redis-c.example master - 0 0 3 connected 10923-16382 16383 [16383->-e5]");
        assertEquals("127.0.0.1:7004@17004", ClusterLayout.masterServing(view, 7000), "the promoted one");
        assertEquals("127.0.0.1:7001@17001", ClusterLayout.masterServing(view, 0));
        assertEquals("127.0.0.1:7003@17003,redis-c.example", ClusterLayout.masterServing(view, 16383));
        String failing = "b2 127.0.0.1:7002@17002 master,fail - 0 0 2 connected 5461-10922";
        assertEquals(null, ClusterLayout.masterServing(failing, 7000), "a failing master serves nothing");
        String suspected = "b2 127.0.0.1:7002@17002 master,fail? - 0 0 2 connected 5461-10922";
        assertEquals("127.0.0.1:7002@17002", ClusterLayout.masterServing(suspected, 7000), "suspected, not failed");

        assertTrue(ClusterLayout.names("127.0.0.1:7004@17004", new HostAndPort("127.0.0.1", 7004)));
        assertTrue(!ClusterLayout.names("127.0.0.1:7004@17004", B), "another port");
        assertTrue(ClusterLayout.names("127.0.0.1:7003@17003,redis-c.example", new HostAndPort("redis-c.example", 7003)),
                "by the host name it announces");
        assertTrue(!ClusterLayout.names("127.0.0.1:7003@17003,shard-id=x", new HostAndPort("shard-id=x", 7003)),
                "an auxiliary field is no host name");
    }

    /**
     * A cluster of one master: the other nodes its own view lists (its replicas, maybe stale about who is master) are
     * those the ownership check asks; none but itself, and nothing could be promoted behind its back.
     */
    @Test
    void whenAViewListsTheOtherNodesThenEachWithAnAddressIsNamedButNotItself() {
        String view = String.join("\n",
                "a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-16383",
                "b2 127.0.0.1:7002@17002 slave a1 0 0 1 connected",
                "c3 127.0.0.1:7003@17003 slave,fail a1 0 0 1 connected",
                "d4 :0@0 slave,noaddr a1 0 0 1 disconnected",
                "e5 127.0.0.1:7005@17005 handshake - 0 0 0 disconnected");
        assertEquals(List.of(new HostAndPort("127.0.0.1", 7002), new HostAndPort("127.0.0.1", 7003)),
                ClusterLayout.otherNodes(view, new HostAndPort("127.0.0.1", 7001)));
        String named = String.join("\n",
                "a1 10.0.0.1:7001@17001,redis-a.example myself,master - 0 0 1 connected 0-16383",
                "b2 10.0.0.2:7001@17001,redis-b.example slave a1 0 0 1 connected");
        assertEquals(List.of(new HostAndPort("redis-b.example", 7001)),
                ClusterLayout.otherNodes(named, new HostAndPort("redis-a.example", 7001)), "by host name, as reached");
        assertEquals(List.of(new HostAndPort("10.0.0.2", 7001)),
                ClusterLayout.otherNodes(named, new HostAndPort("10.0.0.1", 7001)), "by address, as reached");
        assertEquals(List.of(), ClusterLayout.otherNodes(
                "a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-16383\n", new HostAndPort("127.0.0.1", 7001)),
                "a cluster of one node");
    }
}
