package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.jwtgate.internal.revocation.RequestDeadline;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.mockito.InOrder;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

class RedisCommandRunnerTest {

    private static final HostAndPort A = new HostAndPort("127.0.0.1", 7001);
    private static final HostAndPort B = new HostAndPort("127.0.0.1", 7002);

    private final FakeConnections connections = new FakeConnections();

    @Test
    void whenFirstAnswerIsGoodThenOneAttemptOnTheSlotMaster() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(1));
        List<HostAndPort> used = new ArrayList<>();
        String result = runner.run("check", "k", c -> {
            used.add(connections.nodeOf(c));
            return "ok";
        });
        assertEquals("ok", result);
        assertEquals(List.of(A), used);
        assertEquals(0, connections.refreshes);
    }

    @Test
    void whenMovedThenFollowsRedirectionAndRefreshesSlotMap() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(1));
        connections.answers.add(new JedisMovedDataException("MOVED 42 127.0.0.1:7002", B, 42));
        List<HostAndPort> used = new ArrayList<>();
        String result = runner.run("check", "k", c -> {
            used.add(connections.nodeOf(c));
            connections.answerNext();
            return "ok";
        });
        assertEquals("ok", result);
        assertEquals(List.of(A, B), used);
        assertEquals(1, connections.refreshes);
        verify(connections.connection(B), never()).executeCommand(Protocol.Command.ASKING);
    }

    @Test
    void whenAskThenSendsAskingBeforeTheCommandOnTheTarget() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(1));
        connections.answers.add(new JedisAskDataException("ASK 42 127.0.0.1:7002", B, 42));
        List<HostAndPort> used = new ArrayList<>();
        runner.run("check", "k", c -> {
            used.add(connections.nodeOf(c));
            c.getSoTimeout(); // marks "the command" for the order check
            connections.answerNext();
            return "ok";
        });
        assertEquals(List.of(A, B), used);
        InOrder order = inOrder(connections.connection(B));
        order.verify(connections.connection(B)).executeCommand(Protocol.Command.ASKING);
        order.verify(connections.connection(B)).getSoTimeout();
        assertEquals(0, connections.refreshes, "ASK is temporary: no slot map refresh");
    }

    @Test
    void whenNodeKeepsFailingThenUnavailableAfterMaxAttempts() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(5));
        int[] calls = {0};
        RevocationUnavailableException e = assertThrows(RevocationUnavailableException.class,
                () -> runner.run("check", "k", c -> {
                    calls[0]++;
                    throw new JedisConnectionException("Connection refused");
                }));
        assertEquals(3, calls[0]);
        assertEquals(List.of(A, A, A), connections.failedNodes, "each failure reported: idle connections dropped");
        assertTrue(e.getMessage().contains("check failed after 3 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertInstanceOf(JedisConnectionException.class, e.getCause());
    }

    @Test
    void whenNodeFailsOnceThenRetriedOnRefreshedMaster() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(1));
        connections.afterRefreshMaster = B; // a failover moved the slot
        List<HostAndPort> used = new ArrayList<>();
        String result = runner.run("check", "k", c -> {
            used.add(connections.nodeOf(c));
            if (connections.nodeOf(c).equals(A)) {
                throw new JedisConnectionException("Connection reset");
            }
            return "ok";
        });
        assertEquals("ok", result);
        assertEquals(List.of(A, B), used);
    }

    @Test
    void whenRetryBudgetIsSpentThenStopsBeforeMaxAttempts() {
        RedisCommandRunner runner = runner(10, Duration.ofMillis(150));
        int[] calls = {0};
        long start = System.nanoTime();
        assertThrows(RevocationUnavailableException.class, () -> runner.run("check", "k", c -> {
            calls[0]++;
            throw new JedisClusterException("CLUSTERDOWN The cluster is down");
        }));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(calls[0] < 10, "stopped by the budget, not by attempts: " + calls[0]);
        assertTrue(millis < 1_000, "bounded by the 150 ms budget (+ margin): " + millis);
        assertTrue(connections.clusterDowns > 0);
    }

    @Test
    void whenTheSharedDeadlineHasPassedThenOneAttemptOnly() {
        // The key-by-key fallback after TRYAGAIN shares the operation's deadline instead of starting its own.
        RedisCommandRunner runner = runner(5, Duration.ofSeconds(10));
        int[] calls = {0};
        long spent = System.nanoTime() - 1;
        assertThrows(RevocationUnavailableException.class, () -> runner.run("check", "k", false, spent, c -> {
            calls[0]++;
            throw new JedisClusterException("CLUSTERDOWN The cluster is down");
        }));
        assertEquals(1, calls[0], "tried once, not retried past the deadline");

        calls[0] = 0;
        assertThrows(RevocationUnavailableException.class, () -> runner.run("check", "k", false, runner.deadline(), c -> {
            calls[0]++;
            throw new JedisClusterException("CLUSTERDOWN The cluster is down");
        }));
        assertEquals(5, calls[0], "a fresh deadline: every attempt");
    }

    @Test
    void whenARequestsCallsShareOneDeadlineThenACallStartingOnceItIsSpentMakesNoAttempt() {
        // A DPoP request records its proof, then checks revocation on the same hung master: one budget, not two.
        // A budget a loaded machine's first attempt (class loading, a pause) cannot spend alone: 150 ms could.
        RedisCommandRunner runner = runner(100, Duration.ofMillis(1000));
        int[] calls = {0};
        RedisCommandRunner.ConnectionCall<String> clusterDown = c -> {
            calls[0]++;
            throw new JedisClusterException("CLUSTERDOWN The cluster is down");
        };
        RequestDeadline.Scope scope = RequestDeadline.open();
        try {
            assertThrows(RevocationUnavailableException.class, () -> runner.run("proof record", "k", clusterDown));
            assertTrue(calls[0] > 1, "the first call retries within the budget: " + calls[0]);
            calls[0] = 0;
            long start = System.nanoTime();
            RevocationUnavailableException second = assertThrows(RevocationUnavailableException.class,
                    () -> runner.run("revocation check", "k", clusterDown));
            assertEquals(0, calls[0], "no attempt once the request's budget is spent");
            assertTrue(second.getMessage().contains("already spent its 1000 ms"), second.getMessage());
            assertTrue(System.nanoTime() - start < 500_000_000L, "at once, not after a budget's retries");
        } finally {
            scope.close();
        }

        calls[0] = 0;
        assertThrows(RevocationUnavailableException.class, () -> runner.run("revocation check", "k", clusterDown));
        assertTrue(calls[0] > 1, "outside a request's scope a call has its own budget: " + calls[0]);
    }

    @Test
    void whenARequestsFirstCallAnsweredThenTheNextHasItsOwnBudget() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(10));
        RequestDeadline.Scope scope = RequestDeadline.open();
        try {
            long first = runner.deadline();
            assertEquals(first, runner.deadline(), "shared while nothing was answered");
            sleep(5);
            assertEquals("ok", runner.run("proof record", "k", c -> "ok"));
            assertTrue(runner.deadline() - first > 0, "a new deadline: the store answered, it is not hung");
        } finally {
            scope.close();
        }
    }

    @Test
    void whenARequestsFirstCallIsAnsweredPastItsBudgetThenTheRevocationCheckIsStillAsked() {
        // A slow master answers the proof record on its last attempt, begun within the budget, after the budget ran
        // out. It answers: the revocation check must ask it, not fail unasked (closed: 503 for a store that answers;
        // open: a revoked token passes unchecked).
        RedisCommandRunner runner = runner(2, Duration.ofMillis(100));
        int[] calls = {0};
        RequestDeadline.Scope scope = RequestDeadline.open();
        try {
            assertEquals("first use", runner.run("DPoP proof record", "k", c -> {
                if (++calls[0] == 1) {
                    throw new JedisConnectionException("Read timed out");
                }
                sleep(150);
                return "first use";
            }));
            assertEquals(2, calls[0]);
            calls[0] = 0;
            assertEquals("not revoked", runner.run("revocation check", "k", c -> {
                calls[0]++;
                return "not revoked";
            }));
            assertEquals(1, calls[0], "the master that answered is asked");
        } finally {
            scope.close();
        }
    }

    @Test
    void whenTheSharedDeadlineHasPassedThenARedirectionIsStillFollowed() {
        // During a migration the fallback's single-key commands meet ASK (or MOVED once it ends).
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(10));
        for (JedisDataException redirection : List.of(new JedisAskDataException("ASK 42 127.0.0.1:7002", B, 42),
                new JedisMovedDataException("MOVED 42 127.0.0.1:7002", B, 42))) {
            connections.answers.add(redirection);
            List<HostAndPort> used = new ArrayList<>();
            String result = runner.run("check", "k", false, System.nanoTime() - 1, c -> {
                used.add(connections.nodeOf(c));
                connections.answerNext();
                return "ok";
            });
            assertEquals("ok", result);
            assertEquals(List.of(A, B), used, "redirected to B after " + redirection.getMessage());
        }
    }

    @Test
    void whenClusterDownOnceThenRetriedAndAnswered() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(1));
        connections.answers.add(new JedisClusterException("CLUSTERDOWN The cluster is down"));
        assertEquals("ok", runner.run("check", "k", c -> {
            connections.answerNext();
            return "ok";
        }));
        assertEquals(1, connections.clusterDowns);
    }

    @Test
    void whenPoolExhaustedThenUnavailableAtOnceWithoutPilingOn() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(1));
        connections.connectFailure = new JedisException("Could not get a resource from the pool");
        RevocationUnavailableException e = assertThrows(RevocationUnavailableException.class,
                () -> runner.run("check", "k", c -> "never"));
        assertTrue(e.getMessage().contains("after 1 attempt "), e.getMessage());
    }

    @Test
    void whenCommandErrorThenUnavailableAtOnce() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(1));
        int[] calls = {0};
        assertThrows(RevocationUnavailableException.class, () -> runner.run("check", "k", c -> {
            calls[0]++;
            throw new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind of value");
        }));
        assertEquals(1, calls[0]);
    }

    @Test
    void whenTryAgainAndCallerCanSplitThenSlotMigrating() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(1));
        assertThrows(RedisCommandRunner.SlotMigratingException.class, () -> runner.run("check", "k", true, c -> {
            throw new JedisDataException("TRYAGAIN Multiple keys request during rehashing of slot");
        }));
    }

    @Test
    void whenTryAgainThenRetriedOtherwise() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(1));
        connections.answers.add(new JedisDataException("TRYAGAIN Multiple keys request during rehashing of slot"));
        assertEquals("ok", runner.run("write", "k", c -> {
            connections.answerNext();
            return "ok";
        }));
    }

    @Test
    void whenUnexpectedRuntimeExceptionThenWrappedNotLeaked() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(1));
        RevocationUnavailableException e = assertThrows(RevocationUnavailableException.class,
                () -> runner.run("check", "k", c -> {
                    throw new IllegalStateException("boom");
                }));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void whenConnectionUsedThenReturnedToPool() {
        RedisCommandRunner runner = runner(3, Duration.ofSeconds(1));
        runner.run("check", "k", c -> "ok");
        verify(connections.connection(A)).close();
        assertFalse(connections.connectFailureSet());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private RedisCommandRunner runner(int attempts, Duration budget) {
        return new RedisCommandRunner(connections, attempts, budget, 100);
    }

    /** Two nodes; the slot master is A until a refresh says otherwise. */
    private static final class FakeConnections extends StubMasterConnections {
        final Map<HostAndPort, Connection> byNode = new HashMap<>();
        final Deque<RuntimeException> answers = new ArrayDeque<>();
        final List<HostAndPort> failedNodes = new ArrayList<>();
        HostAndPort master = A;
        HostAndPort afterRefreshMaster;
        RuntimeException connectFailure;
        int refreshes;
        int clusterDowns;

        FakeConnections() {
            byNode.put(A, mock(Connection.class));
            byNode.put(B, mock(Connection.class));
        }

        Connection connection(HostAndPort node) {
            return byNode.get(node);
        }

        HostAndPort nodeOf(Connection c) {
            return byNode.entrySet().stream().filter(e -> e.getValue() == c).findFirst().orElseThrow().getKey();
        }

        /** Throws the next scripted answer, if any. */
        void answerNext() {
            RuntimeException next = answers.poll();
            if (next != null) {
                throw next;
            }
        }

        boolean connectFailureSet() {
            return connectFailure != null;
        }

        @Override
        public HostAndPort masterFor(String key) {
            return master;
        }

        @Override
        public Connection connect(HostAndPort node) {
            if (connectFailure != null) {
                throw connectFailure;
            }
            return byNode.get(node);
        }

        @Override
        public CompletableFuture<Void> slotsMoved() {
            refreshes++;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> nodeFailed(HostAndPort node) {
            failedNodes.add(node);
            if (afterRefreshMaster != null) {
                master = afterRefreshMaster;
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> clusterDown() {
            clusterDowns++;
            return CompletableFuture.completedFuture(null);
        }
    }
}
