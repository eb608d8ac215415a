package org.jwtgate.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** One node's view of the cluster, parsed from {@code CLUSTER NODES} (same format in Redis 6.2 and 7.x). */
final class ClusterTopology {

    /** One line of {@code CLUSTER NODES}. */
    record Entry(String id, int port, Set<String> flags, String masterId, boolean connected, List<int[]> slotRanges) {

        boolean isMaster() {
            return flags.contains("master");
        }

        boolean isReplica() {
            return flags.contains("slave");
        }

        boolean isMyself() {
            return flags.contains("myself");
        }

        /** Failing, or suspected to be (PFAIL), by the node that gave this view. */
        boolean isFailing() {
            return flags.contains("fail") || flags.contains("fail?");
        }

        boolean isHandshaking() {
            return flags.contains("handshake") || flags.contains("noaddr");
        }

        boolean ownsSlots() {
            return !slotRanges.isEmpty();
        }

        boolean servesSlot(int slot) {
            for (int[] range : slotRanges) {
                if (slot >= range[0] && slot <= range[1]) {
                    return true;
                }
            }
            return false;
        }

        /** e.g. {@code "0-5460,5461"}: comparable across views. */
        String slotsText() {
            StringBuilder sb = new StringBuilder();
            for (int[] r : slotRanges) {
                sb.append(sb.length() == 0 ? "" : ",").append(r[0]).append('-').append(r[1]);
            }
            return sb.toString();
        }
    }

    private final List<Entry> entries;

    private ClusterTopology(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static ClusterTopology parse(String clusterNodes) {
        List<Entry> entries = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            if (!line.isBlank()) {
                entries.add(parseLine(line.trim()));
            }
        }
        return new ClusterTopology(entries);
    }

    // <id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot>...
    private static Entry parseLine(String line) {
        String[] f = line.split(" ");
        String address = f[1];
        int colon = address.lastIndexOf(':');
        int at = address.indexOf('@', colon);
        int port = Integer.parseInt(address.substring(colon + 1, at < 0 ? address.length() : at));
        Set<String> flags = new TreeSet<>(Arrays.asList(f[2].split(",")));
        String masterId = "-".equals(f[3]) ? null : f[3];
        boolean connected = "connected".equals(f[7]);
        List<int[]> ranges = new ArrayList<>();
        for (int i = 8; i < f.length; i++) {
            if (f[i].startsWith("[")) {
                continue; // a slot being migrated or imported: not owned by this entry
            }
            int dash = f[i].indexOf('-');
            int from = Integer.parseInt(dash < 0 ? f[i] : f[i].substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(f[i].substring(dash + 1));
            ranges.add(new int[] {from, to});
        }
        return new Entry(f[0], port, flags, masterId, connected, List.copyOf(ranges));
    }

    List<Entry> entries() {
        return entries;
    }

    Optional<Entry> byId(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    Optional<Entry> myself() {
        return entries.stream().filter(Entry::isMyself).findFirst();
    }

    /** The master serving {@code slot} in this view. */
    Optional<Entry> ownerOf(int slot) {
        return entries.stream().filter(e -> e.isMaster() && e.servesSlot(slot)).findFirst();
    }

    List<Entry> replicasOf(String masterId) {
        return entries.stream().filter(e -> e.isReplica() && masterId.equals(e.masterId())).toList();
    }

    /**
     * Who is master or replica of whom, and which master owns which slots, e.g.
     * {@code "id1 master - 0-5460;id4 slave id1 ;..."}. Equal across nodes once gossip has converged, so that
     * any node answers role and routing questions alike. Failure flags are left out: they differ by design.
     */
    String roleAndSlotMap() {
        StringBuilder sb = new StringBuilder();
        entries.stream()
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .forEach(e -> sb.append(e.id())
                        .append(e.isMaster() ? " master " : " slave ")
                        .append(e.masterId() == null ? "-" : e.masterId())
                        .append(' ').append(e.slotsText()).append(';'));
        return sb.toString();
    }
}
