package org.jwtgate.internal.revocation.redis;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.HostAndPort;

/**
 * {@link MasterConnections} for unit tests: a test says where keys go and which connection a node gives;
 * the topology callbacks do nothing and complete at once, {@code probe} answers null (every master answered).
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
    public RuntimeException probe(IntFunction<CommandObject<?>> readInSlot) {
        return null;
    }

    @Override
    public String describe() {
        return getClass().getSimpleName();
    }

    @Override
    public void close() {
    }
}
