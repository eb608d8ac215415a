package org.jwtgate.sample.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One node as a cluster member lists it in {@code CLUSTER NODES}: where it listens, its role, the
 * master it replicates, and whether the cluster considers it failing. Whether it answers is asked
 * separately ({@link RedisTopology}).
 *
 * @param id          the node id
 * @param host        host or IP, empty when the cluster does not know the address ({@code noaddr})
 * @param port        the client port, 0 when unknown
 * @param role        master, replica, or unknown (a node still in handshake)
 * @param masterId    the id of the master a replica replicates, null for a master
 * @param failing     flagged {@code fail} or {@code fail?} by the cluster
 * @param servesSlots a master with at least one slot: its slots are unwritable while it is down
 */
public record ClusterNode(String id, String host, int port, Role role, String masterId, boolean failing,
                          boolean servesSlots) {

    /** What the node is in the cluster; {@link #toString()} is the lower-case word the JSON answers use. */
    public enum Role {
        MASTER, REPLICA, UNKNOWN;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code host:port}, as an operator would type it. */
    public String address() {
        return host + ":" + port;
    }

    /**
     * The nodes of a {@code CLUSTER NODES} reply, in its order, named as the cluster client names them: by the host
     * names the cluster announces when the node that answered announces {@code reachedAs}, the host it was reached by
     * ({@code cluster-preferred-endpoint-type hostname}, how Redis runs TLS with certificates for names, which refuse
     * a connection by address), else by address. Lines too short to be a node are skipped. A line reads
     * {@code id host:port@cport[,hostname[,aux=value…]] flags master-id ping pong epoch link [slot…]}.
     */
    public static List<ClusterNode> parseAll(String clusterNodes, String reachedAs) {
        List<String[]> lines = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length >= 8) {
                lines.add(fields);
            }
        }
        boolean byHostname = lines.stream().anyMatch(fields -> List.of(fields[2].split(",")).contains("myself")
                && !hostname(fields[1]).isEmpty() && hostname(fields[1]).equalsIgnoreCase(reachedAs));
        List<ClusterNode> nodes = new ArrayList<>();
        for (String[] fields : lines) {
            nodes.add(parse(fields, byHostname));
        }
        return List.copyOf(nodes);
    }

    private static ClusterNode parse(String[] fields, boolean byHostname) {
        String address = fields[1].split("[@,]")[0];
        int colon = address.lastIndexOf(':');
        String hostname = hostname(fields[1]);
        String host = byHostname && !hostname.isEmpty() ? hostname : colon < 0 ? "" : address.substring(0, colon);
        int port = colon < 0 ? 0 : parsePort(address.substring(colon + 1));
        List<String> flags = List.of(fields[2].split(","));
        Role role = flags.contains("master") ? Role.MASTER : flags.contains("slave") ? Role.REPLICA : Role.UNKNOWN;
        boolean failing = flags.contains("fail") || flags.contains("fail?");
        String masterId = role == Role.REPLICA && !fields[3].equals("-") ? fields[3] : null;
        return new ClusterNode(fields[0], host, port, role, masterId, failing, role == Role.MASTER && fields.length > 8);
    }

    /** {@code ip:port@cport[,hostname[,aux=value…]]} → {@code hostname}, empty when none is announced. */
    private static String hostname(String field) {
        int comma = field.indexOf(',');
        if (comma < 0) {
            return "";
        }
        int end = field.indexOf(',', comma + 1);
        String hostname = field.substring(comma + 1, end < 0 ? field.length() : end);
        return hostname.contains("=") ? "" : hostname; // an auxiliary field (Redis 7.2+): no host name announced
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
