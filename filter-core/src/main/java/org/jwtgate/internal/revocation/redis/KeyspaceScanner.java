package org.jwtgate.internal.revocation.redis;

import java.util.ArrayList;
import java.util.List;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.internal.revocation.nearcache.RevocationFeed;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.ScanResult;

/**
 * Reads every revocation key ({@code <prefix>{<sub>}:…}) with its value and remaining lifetime, for the
 * near-cache's loads: <code>SCAN MATCH &lt;prefix&gt;{* COUNT 1000</code> on every master (the one node, for
 * {@code revocation.store=redis}), then {@code PTTL} and {@code GET} of each page's keys, pipelined.
 * Other keys under the prefix — the DPoP proof records, {@code <prefix>dpop:…}, one per DPoP
 * request — are left out by Redis itself, so they cost no reads.
 * Never on a request path. In a cluster the scan is trusted only if the slot layout was settled and
 * unchanged throughout ({@link ClusterLayout}).
 */
final class KeyspaceScanner {

    private static final int PAGE = 1000;

    private final MasterConnections connections;
    private final String anchorKey;
    private final String pattern;
    private final boolean cluster;

    /** @param anchorKey a key whose master is asked for the cluster's layout */
    KeyspaceScanner(MasterConnections connections, String keyPrefix, String anchorKey, boolean cluster) {
        this.connections = connections;
        this.anchorKey = anchorKey;
        this.pattern = globEscape(keyPrefix) + "\\{*";
        this.cluster = cluster;
    }

    void scan(RevocationFeed.EntrySink sink) {
        if (!cluster) {
            HostAndPort node = connections.masterFor(anchorKey);
            refuseClusterNode(node);
            scanNode(node, sink);
            return;
        }
        ClusterLayout before = ClusterLayout.read(connections, connections.masterFor(anchorKey));
        for (HostAndPort master : before.masters()) {
            scanNode(master, sink);
        }
        ClusterLayout after = ClusterLayout.read(connections, connections.masterFor(anchorKey));
        if (!before.equals(after)) {
            throw new RevocationUnavailableException("the cluster's slot layout changed during the scan");
        }
    }

    /**
     * {@code revocation.store=redis} given a node of a Redis Cluster of several masters: a scan of that node misses
     * the revocations the others hold, and when the node serves the events channel it answers the heartbeats and
     * delivers the announcements, so the near-cache would be fresh and accept those revoked tokens. A plain server
     * refuses {@code CLUSTER NODES}; only an answer proves a cluster (a plain server's refusal lets the load go
     * on), and a cluster of one master holds every key on it. An ACL's refusal (NOPERM) is no answer and stops the
     * load: a cluster node whose user lacks {@code cluster|nodes} would otherwise load as a plain server.
     */
    private void refuseClusterNode(HostAndPort node) {
        String nodes;
        try (Connection connection = connections.connect(node)) {
            nodes = connection.executeCommand(ClusterLayout.CLUSTER_NODES);
        } catch (JedisDataException e) {
            String refusal = AccessRefusal.of(e);
            if (refusal != null) {
                throw new RevocationUnavailableException("CLUSTER NODES refused (" + refusal + "): without its answer a"
                        + " load cannot tell a plain server from a node of a Redis Cluster, whose other masters hold"
                        + " revocations it would miss; allow +cluster|nodes to redis.user (see the ACL in"
                        + " docs/revocation.md)", e);
            }
            return;
        } catch (JedisConnectionException e) {
            connections.nodeFailed(node); // as in scanNode
            throw e;
        }
        if (ClusterLayout.mastersWithSlots(nodes) > 1) {
            throw new RevocationUnavailableException("redis.nodes names a node of a Redis Cluster (" + node
                    + "), whose other masters hold revocations this load cannot read; use revocation.store=redis-cluster");
        }
    }

    private void scanNode(HostAndPort node, RevocationFeed.EntrySink sink) {
        String cursor = "0";
        do {
            try (Connection connection = connections.connect(node)) {
                ScanResult<String> page = connection.executeCommand(scan(cursor));
                List<String> keys = page.getResult();
                if (!keys.isEmpty()) {
                    readPage(connection, keys, sink);
                }
                cursor = page.getCursor();
            } catch (JedisConnectionException e) {
                // The node restarted or died: its other idle connections are dead too. Without this, an idle
                // instance's retried loads would find them one by one, each after a longer backoff.
                connections.nodeFailed(node);
                throw e;
            }
        } while (!"0".equals(cursor));
    }

    private static void readPage(Connection connection, List<String> keys, RevocationFeed.EntrySink sink) {
        Pipeline pipeline = new Pipeline(connection);
        List<Response<Long>> ttls = new ArrayList<>(keys.size());
        List<Response<String>> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            ttls.add(pipeline.pttl(key));
            values.add(pipeline.get(key));
        }
        pipeline.sync();
        for (int i = 0; i < keys.size(); i++) {
            long ttl = ttls.get(i).get(); // any error reply fails the scan
            String value;
            try {
                value = values.get(i).get();
            } catch (JedisDataException e) {
                if (!isWrongType(e)) {
                    // CLUSTERDOWN (a restarted master answers SCAN but no key read for its first seconds),
                    // LOADING, MOVED...: the key's state is unknown. Skipping it would load a revocation as absent.
                    throw e;
                }
                continue; // not a string (another application's key under the prefix): not a revocation
            }
            sink.accept(keys.get(i), value, ttl);
        }
    }

    private static boolean isWrongType(JedisDataException e) {
        String message = e.getMessage();
        return message != null && message.startsWith("WRONGTYPE");
    }

    private CommandObject<ScanResult<String>> scan(String cursor) {
        return new CommandObject<>(new CommandArguments(Protocol.Command.SCAN).add(cursor)
                .add(Protocol.Keyword.MATCH).add(pattern).add(Protocol.Keyword.COUNT).add(PAGE),
                BuilderFactory.SCAN_RESPONSE);
    }

    /** The prefix as a literal in a glob pattern. */
    static String globEscape(String prefix) {
        StringBuilder out = new StringBuilder(prefix.length() + 4);
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
