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
            String nodes;
            try (Connection connection = new Connection(seed, config)) {
                nodes = connection.executeCommand(new CommandObject<>(new CommandArguments(Protocol.Command.CLUSTER)
                        .add(Protocol.ClusterKeyword.NODES), BuilderFactory.STRING));
            } catch (RuntimeException e) {
                continue;
            }
            Set<String> members = new HashSet<>();
            String self = null;
            boolean slotsServed = false;
            for (String line : nodes.split("\n")) {
                String[] fields = line.trim().split(" ");
                if (fields.length < 3) {
                    continue;
                }
                members.add(fields[0]);
                if (("," + fields[2] + ",").contains(",myself,")) {
                    self = fields[0];
                }
                slotsServed |= fields.length > 8; // slot ranges follow the eight fixed fields
            }
            // A node that knows no slot served is of no cluster yet (or no longer: del-node resets it), or still
            // meeting one: Jedis passes over its empty slot map, so it splits nothing.
            if (self == null || !slotsServed) {
                continue;
            }
            if (first == null) {
                first = seed;
                firstMembers = members;
            } else if (Collections.disjoint(firstMembers, members)) { // nodes of one cluster know each other
                return first + " and " + seed;
            }
        }
        return null;
    }
}
