package org.jwtgate.internal.revocation.redis;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jwtgate.revocation.RevocationUnavailableException;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Which master serves which slots, each master as it sees itself ({@code CLUSTER NODES}, its
 * {@code myself} line). A full scan is trusted only if this layout covers every slot exactly once, shows no
 * slot migration, and is the same before and after the scan: a key moving between two masters
 * during the scan could otherwise be missed by both.
 */
record ClusterLayout(SortedMap<String, String> slotsByMaster) {

    static final int SLOTS = 16384;

    static final CommandObject<String> CLUSTER_NODES = new CommandObject<>(
            new CommandArguments(Protocol.Command.CLUSTER).add("NODES"), BuilderFactory.STRING);

    // Written out rather than generated: on JDK 17 a record's generated equals goes through java.lang.runtime.ObjectMethods,
    // whose shared method handle keeps the last record class it compared (JDK-8078641, fixed in JDK 18), so an
    // undeployed application's class loader stayed reachable after the near-cache's loads had compared layouts.
    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterLayout layout && slotsByMaster.equals(layout.slotsByMaster);
    }

    @Override
    public int hashCode() {
        return slotsByMaster.hashCode();
    }

    List<HostAndPort> masters() {
        return slotsByMaster.keySet().stream().map(HostAndPort::from).toList();
    }

    /** How many masters holding slots a {@code CLUSTER NODES} answer lists, failing ones included. */
    static int mastersWithSlots(String nodes) {
        int masters = 0;
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 8 && hasFlag(fields[2], "master")) {
                masters++;
            }
        }
        return masters;
    }

    /**
     * How many replicas a {@code CLUSTER NODES} answer lists for the node that gave it (failing ones included), or -1
     * when it has no {@code myself} line.
     */
    static int replicasOfMyself(String nodes) {
        String[] myself = myselfLine(nodes);
        if (myself == null) {
            return -1;
        }
        int replicas = 0;
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            replicas += fields.length > 3 && fields[3].equals(myself[0]) ? 1 : 0;
        }
        return replicas;
    }

    /** @throws RevocationUnavailableException when the layout is not settled (failover, migration, missing slots) */
    static ClusterLayout read(MasterConnections connections, HostAndPort anchor) {
        SortedMap<String, String> layout = new TreeMap<>();
        BitSet served = new BitSet(SLOTS);
        for (HostAndPort master : mastersSeenBy(connections, anchor)) {
            String[] myself = myselfLine(nodes(connections, master));
            if (myself == null || !hasFlag(myself[2], "master")) {
                throw new RevocationUnavailableException(master + " is no longer a master");
            }
            StringBuilder ranges = new StringBuilder();
            for (int i = 8; i < myself.length; i++) {
                if (myself[i].startsWith("[")) {
                    throw new RevocationUnavailableException("a slot migration is in progress on " + master);
                }
                int[] range = slotRange(myself[i]);
                // Two masters each claiming a slot (one of them cut off from the others and not yet told): the
                // scan could read the stale one, and a sum of slot counts would not notice.
                int claimed = served.nextSetBit(range[0]);
                if (claimed >= 0 && claimed <= range[1]) {
                    throw new RevocationUnavailableException("slot " + claimed + " is claimed by two masters, "
                            + master + " among them");
                }
                served.set(range[0], range[1] + 1);
                ranges.append(myself[i]).append(' ');
            }
            layout.put(master.toString(), ranges.toString().trim());
        }
        if (served.cardinality() != SLOTS) {
            throw new RevocationUnavailableException("the masters serve " + served.cardinality() + " of " + SLOTS
                    + " slots");
        }
        return new ClusterLayout(layout);
    }

    /**
     * Masters with slots and not failing, in {@code anchor}'s view, named as the client names its nodes: by the host
     * names the cluster announces when the client reached {@code anchor} by its own
     * ({@code cluster-preferred-endpoint-type hostname}, how TLS runs with certificates for names, which refuse a
     * connection by address), else by address.
     */
    private static List<HostAndPort> mastersSeenBy(MasterConnections connections, HostAndPort anchor) {
        String nodes = nodes(connections, anchor);
        String[] myself = myselfLine(nodes);
        boolean byHostname = myself != null && !hostname(myself[1]).isEmpty()
                && hostname(myself[1]).equalsIgnoreCase(anchor.getHost());
        List<HostAndPort> masters = new ArrayList<>();
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 8 && hasFlag(fields[2], "master") && !hasFlag(fields[2], "fail")) {
                HostAndPort address = HostAndPort.from(address(fields[1]));
                String hostname = hostname(fields[1]);
                masters.add(byHostname && !hostname.isEmpty() ? new HostAndPort(hostname, address.getPort()) : address);
            }
        }
        return masters;
    }

    /** Whether a {@code CLUSTER NODES} answer lists any node but the one that gave it, askable or not. */
    static boolean listsOtherNodes(String nodes) {
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 2 && !hasFlag(fields[2], "myself")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The nodes other than the one that gave a {@code CLUSTER NODES} answer (its {@code myself} line), replicas
     * included, each with an address to reach it (not {@code noaddr}, not in {@code handshake}), named as
     * {@link #mastersSeenBy} names masters: by announced host name when the client reached {@code anchor} by its own.
     * For asking each its own view, never for routing: whether it is a master or a replica here may be stale.
     */
    static List<HostAndPort> otherNodes(String nodes, HostAndPort anchor) {
        String[] myself = myselfLine(nodes);
        boolean byHostname = myself != null && !hostname(myself[1]).isEmpty()
                && hostname(myself[1]).equalsIgnoreCase(anchor.getHost());
        List<HostAndPort> others = new ArrayList<>();
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length <= 2 || hasFlag(fields[2], "myself") || hasFlag(fields[2], "noaddr")
                    || hasFlag(fields[2], "handshake")) {
                continue;
            }
            HostAndPort address = HostAndPort.from(address(fields[1]));
            if (address.getHost().isEmpty() || address.getPort() <= 0) {
                continue; // ":0@0": no address known yet
            }
            String hostname = hostname(fields[1]);
            others.add(byHostname && !hostname.isEmpty() ? new HostAndPort(hostname, address.getPort()) : address);
        }
        return others;
    }

    /**
     * In a {@code CLUSTER NODES} answer, the node field ({@code ip:port@cport[,hostname...]}) of the master not failing
     * that serves {@code slot}, or null when none does.
     */
    static String masterServing(String nodes, int slot) {
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length <= 8 || !hasFlag(fields[2], "master") || hasFlag(fields[2], "fail")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                if (!fields[i].startsWith("[")) { // a migration's [slot->-id] or [slot-<-id]: not served from here
                    int[] range = slotRange(fields[i]);
                    if (range[0] <= slot && slot <= range[1]) {
                        return fields[1];
                    }
                }
            }
        }
        return null;
    }

    /** Whether a node field ({@code ip:port@cport[,hostname...]}) names {@code node}, by address or announced host name. */
    static boolean names(String field, HostAndPort node) {
        HostAndPort address = HostAndPort.from(address(field));
        if (address.getPort() != node.getPort()) {
            return false;
        }
        String hostname = hostname(field);
        return address.getHost().equalsIgnoreCase(node.getHost())
                || (!hostname.isEmpty() && hostname.equalsIgnoreCase(node.getHost()));
    }

    static String nodes(MasterConnections connections, HostAndPort node) {
        try (Connection connection = connections.connect(node)) {
            return connection.executeCommand(CLUSTER_NODES);
        } catch (JedisConnectionException e) {
            connections.nodeFailed(node); // its other idle connections are dead too (see KeyspaceScanner)
            throw e;
        }
    }

    private static String[] myselfLine(String nodes) {
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 2 && hasFlag(fields[2], "myself")) {
                return fields;
            }
        }
        return null;
    }

    /** {@code ip:port@cport[,hostname[,aux=value...]]} → {@code ip:port}, for messages. */
    static String nodeAddress(String field) {
        return address(field);
    }

    /** {@code ip:port@cport[,hostname[,aux=value...]]} → {@code ip:port}. */
    private static String address(String field) {
        int at = field.indexOf('@');
        return at < 0 ? field : field.substring(0, at);
    }

    /** {@code ip:port@cport[,hostname[,aux=value...]]} → {@code hostname}, empty when none is announced. */
    private static String hostname(String field) {
        int comma = field.indexOf(',');
        if (comma < 0) {
            return "";
        }
        int end = field.indexOf(',', comma + 1);
        String hostname = field.substring(comma + 1, end < 0 ? field.length() : end);
        return hostname.contains("=") ? "" : hostname; // an auxiliary field: no host name announced
    }

    private static boolean hasFlag(String flags, String flag) {
        for (String f : flags.split(",")) {
            if (f.equals(flag)) {
                return true;
            }
        }
        return false;
    }

    /** {@code 0-5460} → [0, 5460], {@code 5461} → [5461, 5461]. */
    static int[] slotRange(String range) {
        int dash = range.indexOf('-');
        int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
        int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
        if (first < 0 || last < first || last >= SLOTS) {
            throw new RevocationUnavailableException("not a slot range: " + range);
        }
        return new int[] {first, last};
    }
}
