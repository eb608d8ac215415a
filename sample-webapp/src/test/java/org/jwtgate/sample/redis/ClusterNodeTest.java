package org.jwtgate.sample.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterNodeTest {

    /** A 3+3 cluster as Redis 7 lists it (one master failed over: its replica took over slots 0-5460). */
    private static final String NODES = """
            aaa 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 5461-10922
            bbb 127.0.0.1:7001@17001,node-b.example master - 0 1700000000000 2 connected 10923-16383
            ccc 127.0.0.1:7002@17002 master,fail - 1700000000000 1700000000000 3 disconnected
            ddd 127.0.0.1:7003@17003 slave aaa 0 1700000000000 1 connected
            eee 127.0.0.1:7004@17004 slave,fail? bbb 0 1700000000000 2 connected
            fff 127.0.0.1:7005@17005 master - 0 1700000000000 7 connected 0-5460
            """;

    /** Reached by a host no node announces: every node named by its address. */
    private static final String BY_ADDRESS = "";

    @Test
    void whenClusterNodesParsedThenEveryNodeWithAddressRoleAndFlags() {
        List<ClusterNode> nodes = ClusterNode.parseAll(NODES, BY_ADDRESS);

        assertEquals(6, nodes.size());
        ClusterNode myself = nodes.get(0);
        assertEquals("127.0.0.1:7000", myself.address());
        assertEquals(ClusterNode.Role.MASTER, myself.role());
        assertTrue(myself.servesSlots());
        assertNull(myself.masterId());
        assertEquals("127.0.0.1:7001", nodes.get(1).address(), "the hostname after the comma is not part of it");
    }

    /**
     * A cluster that announces host names ({@code cluster-preferred-endpoint-type hostname}: how Redis runs TLS with
     * certificates for names) shows them after the address, and the client names its nodes by them: probed by
     * address, TLS refuses each node and health says DOWN. Redis 7.2 adds auxiliary fields after the name, and leaves
     * the name empty when a node announces none.
     */
    @Test
    void whenTheNodeReachedByItsHostNameAnnouncesItThenEveryNodeIsNamedByItsAnnouncedName() {
        String nodes = """
                aaa 127.0.0.1:7000@17000,redis-a.example,shard-id=s1 myself,master - 0 0 1 connected 0-8191
                bbb 127.0.0.1:7001@17001,redis-b.example master - 0 1700000000000 2 connected 8192-16383
                ccc 127.0.0.1:7002@17002,,shard-id=s1 slave aaa 0 1700000000000 1 connected
                """;

        assertEquals(List.of("redis-a.example:7000", "redis-b.example:7001", "127.0.0.1:7002"),
                ClusterNode.parseAll(nodes, "REDIS-A.example").stream().map(ClusterNode::address).toList());
        assertEquals(List.of("127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7002"),
                ClusterNode.parseAll(nodes, "127.0.0.1").stream().map(ClusterNode::address).toList(),
                "reached by address (the default endpoint type): probed by address");
    }

    @Test
    void whenAMasterLostItsSlotsOrIsFlaggedFailingThenSaid() {
        List<ClusterNode> nodes = ClusterNode.parseAll(NODES, BY_ADDRESS);

        ClusterNode failedMaster = nodes.get(2);
        assertTrue(failedMaster.failing());
        assertFalse(failedMaster.servesSlots(), "a master without slots blocks no writes");
        assertTrue(nodes.get(4).failing(), "fail? (suspected) counts as failing");
    }

    @Test
    void whenAReplicaThenItsRoleAndMaster() {
        ClusterNode replica = ClusterNode.parseAll(NODES, BY_ADDRESS).get(3);
        assertEquals(ClusterNode.Role.REPLICA, replica.role());
        assertEquals("aaa", replica.masterId());
        assertFalse(replica.servesSlots());
        assertEquals("replica", replica.role().toString());
    }

    @Test
    void whenAddressUnknownOrLineTruncatedThenNoPortAndShortLinesSkipped() {
        List<ClusterNode> nodes = ClusterNode.parseAll("""
                ggg :0@0 master,noaddr - 0 0 0 disconnected
                hhh [::1]:7000@17000 handshake - 0 0 0 connected
                truncated line
                ::1:7006@17006 is not enough fields either
                """, BY_ADDRESS);

        assertEquals(2, nodes.size());
        assertEquals("", nodes.get(0).host());
        assertEquals(0, nodes.get(0).port());
        assertEquals(ClusterNode.Role.UNKNOWN, nodes.get(1).role());
        assertEquals(7000, nodes.get(1).port());
    }
}
