package org.jwtgate.internal.revocation.redis;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;

/**
 * Whether the seeds of {@code redis.nodes} belong to one Redis Cluster. Jedis asks them in random order and takes the
 * slot map of the first that answers: with a seed of another cluster (a mistyped port, a staging node), instances
 * started with the same settings used different clusters, and a token revoked through one was accepted by others.
 */
final class SeedClusters {

    private SeedClusters() {
    }

    /**
     * Asks each seed once for its view of the cluster ({@code CLUSTER NODES}, in the documented ACL); a seed that does
     * not answer, or refuses the question, cannot tell and is passed over.
     *
     * @return two seeds of different clusters, as "a and b", or null
     */
    static String twoClusters(Set<HostAndPort> seeds, JedisClientConfig config) {
        if (seeds.size() < 2) {
            return null;
        }
        HostAndPort first = null;
        Set<String> firstMembers = null;
        for (HostAndPort seed : seeds) {
            View view = viewOf(seed, config);
            if (view == null) {
                continue;
            }
            // A node that knows no slot served is of no cluster yet (or no longer: del-node resets it), or still
            // meeting one: Jedis passes over its empty slot map, so it splits nothing.
            if (view.self() == null || !view.slotsServed()) {
                continue;
            }
            if (first == null) {
                first = seed;
                firstMembers = view.members();
            } else if (Collections.disjoint(firstMembers, view.members())) { // nodes of one cluster know each other
                return first + " and " + seed;
            }
        }
        return null;
    }

    /**
     * The seeds that belong to no cluster: each answers {@code CLUSTER NODES} with itself only, serving no slot (a node
     * {@code redis-cli --cluster del-node} reset, or one never added). Giving such a node slots makes a new, empty
     * cluster of it, not the one the other instances use.
     *
     * @return those seeds, as "a, b", when every seed that answered is one; else null (also when none answered)
     */
    static String ofNoCluster(Set<HostAndPort> seeds, JedisClientConfig config) {
        StringBuilder alone = new StringBuilder();
        for (HostAndPort seed : seeds) {
            View view = viewOf(seed, config);
            if (view == null) {
                continue;
            }
            if (!view.alone()) {
                return null;
            }
            alone.append(alone.length() == 0 ? "" : ", ").append(seed);
        }
        return alone.length() == 0 ? null : alone.toString();
    }

    /** The seed's view, or null when it does not answer or refuses the question. */
    private static View viewOf(HostAndPort seed, JedisClientConfig config) {
        try (Connection connection = new Connection(seed, config)) {
            return view(connection);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A node's view of its cluster ({@code CLUSTER NODES}): its own ID, the IDs of the nodes it knows (nodes still in
     * handshake left out: their IDs are provisional), and whether any of them serves a slot.
     */
    private record View(String self, Set<String> members, boolean slotsServed) {

        /** Knows no node but itself and serves no slot: of no cluster. */
        boolean alone() {
            return self != null && members.size() == 1 && !slotsServed;
        }
    }

    /** Asks {@code connection}'s node {@code CLUSTER NODES}; throws as Jedis does (refused, not answering). */
    private static View view(Connection connection) {
        String nodes = connection.executeCommand(new CommandObject<>(new CommandArguments(Protocol.Command.CLUSTER)
                .add(Protocol.ClusterKeyword.NODES), BuilderFactory.STRING));
        Set<String> members = new HashSet<>();
        String self = null;
        boolean slotsServed = false;
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 3) {
                continue;
            }
            String flags = "," + fields[2] + ",";
            if (flags.contains(",myself,")) {
                self = fields[0];
            } else if (flags.contains(",handshake,")) {
                continue;
            }
            members.add(fields[0]);
            slotsServed |= fields.length > 8; // slot ranges follow the eight fixed fields
        }
        return new View(self, Set.copyOf(members), slotsServed);
    }
}
