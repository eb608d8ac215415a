package org.jwtgate.internal.revocation.redis;

import java.util.concurrent.CompletableFuture;
import redis.clients.jedis.HostAndPort;

/**
 * {@link MasterConnections} for unit tests: a test says where keys go and which connection a node gives;
 * the topology callbacks do nothing and complete at once, {@code ping} answers true.
 */
abstract class StubMasterConnections implements MasterConnections {

    @Override
    public CompletableFuture<Void> slotsMoved() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> nodeFailed(HostAndPort node) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> clusterDown() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean ping() {
        return true;
    }

    @Override
    public String describe() {
        return getClass().getSimpleName();
    }

    @Override
    public void close() {
    }
}
