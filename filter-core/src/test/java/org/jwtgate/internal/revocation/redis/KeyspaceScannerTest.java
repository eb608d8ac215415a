package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** The scanner's own decisions, on a stub node (its reads of real keys are in {@link KeyspaceScannerIT}). */
class KeyspaceScannerTest {

    private static final HostAndPort NODE = new HostAndPort("127.0.0.1", 6379);

    @Test
    void whenTheNodeDropsTheConnectionThenTheScanFailsAndTheNodeIsReportedFailed() {
        List<HostAndPort> failed = new ArrayList<>();
        StubMasterConnections connections = new StubMasterConnections() {
            @Override
            public HostAndPort masterFor(String key) {
                return NODE;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Connection connect(HostAndPort node) {
                Connection connection = mock(Connection.class);
                when(connection.executeCommand(any(CommandObject.class))).thenThrow(new JedisConnectionException("reset"));
                return connection;
            }

            @Override
            public CompletableFuture<Void> nodeFailed(HostAndPort node) {
                failed.add(node);
                return CompletableFuture.completedFuture(null);
            }
        };
        KeyspaceScanner scanner = new KeyspaceScanner(connections, "jwtgate:", "jwtgate:events", false);

        assertThrows(JedisConnectionException.class, () -> scanner.scan((key, value, ttl) -> { }));
        assertEquals(List.of(NODE), failed, "its idle connections are dropped at once");
    }

    @Test
    void whenThePrefixHoldsGlobCharactersThenTheyAreMatchedLiterally() {
        assertEquals("a\\*b\\?c\\[d\\]e\\\\f:", KeyspaceScanner.globEscape("a*b?c[d]e\\f:"));
    }
}
