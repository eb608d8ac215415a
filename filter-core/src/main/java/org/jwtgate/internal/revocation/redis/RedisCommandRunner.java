package org.jwtgate.internal.revocation.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.metrics.GateMetrics.RedisEvent;
import org.jwtgate.internal.revocation.RequestDeadline;
import org.jwtgate.revocation.RevocationUnavailableException;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/**
 * Runs one or more commands on one connection to the master of a key's slot, and copes with what a
 * cluster answers meanwhile: follows MOVED (and has the slot map refreshed) and ASK (with
 * {@code ASKING}), retries after a dead or restarted node, CLUSTERDOWN, LOADING or TRYAGAIN — at
 * most {@code redis.max-attempts} attempts within the retry budget ({@code timeout × attempts},
 * capped). Whatever still fails becomes a {@link RevocationUnavailableException}; no Jedis
 * exception leaves this class except as a cause.
 *
 * <p>Commands must be idempotent: an attempt that timed out may have been applied.
 */
final class RedisCommandRunner {

    /** Commands to run on one borrowed connection. */
    @FunctionalInterface
    interface ConnectionCall<T> {
        T apply(Connection connection);
    }

    /** TRYAGAIN: a multi-key command met a slot whose keys are half-way between two nodes. */
    static final class SlotMigratingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SlotMigratingException(Throwable cause) {
            super("slot in migration", cause, false, false);
        }
    }

    private static final long MIN_BACKOFF_MS = 10;
    private static final long MAX_BACKOFF_MS = 200;

    private final MasterConnections connections;
    private final GateMetrics metrics;
    private final int maxAttempts;
    private final long budgetNanos;
    private final long backoffStepMs;

    RedisCommandRunner(MasterConnections connections, int maxAttempts, Duration budget, int timeoutMs) {
        this(connections, maxAttempts, budget, timeoutMs, new GateMetrics());
    }

    /** As {@code redis.*} says: its attempts, the retry budget they give, its timeout, and its metrics. */
    RedisCommandRunner(MasterConnections connections, JedisClientSettings settings) {
        this(connections, settings.maxAttempts(), settings.retryBudget(), settings.timeoutMs(), settings.metrics());
    }

    RedisCommandRunner(MasterConnections connections, int maxAttempts, Duration budget, int timeoutMs,
                       GateMetrics metrics) {
        this.metrics = metrics;
        this.connections = connections;
        this.maxAttempts = maxAttempts;
        this.budgetNanos = budget.toNanos();
        this.backoffStepMs = Math.max(MIN_BACKOFF_MS, Math.min(MAX_BACKOFF_MS, timeoutMs / 10));
    }

    /** Runs {@code call}, retrying TRYAGAIN like any other transient answer. */
    <T> T run(String operation, String key, ConnectionCall<T> call) {
        return run(operation, key, false, call);
    }

    /**
     * @param failOnTryAgain throw {@link SlotMigratingException} at once on TRYAGAIN, for a caller
     *                       that can split its multi-key command into single-key ones
     */
    <T> T run(String operation, String key, boolean failOnTryAgain, ConnectionCall<T> call) {
        return run(operation, key, failOnTryAgain, deadline(), call);
    }

    /**
     * When a call starting now must stop retrying: {@link System#nanoTime()} + the retry budget, or earlier
     * when the request's calls share one ({@link RequestDeadline}) and none of them was answered yet.
     *
     * @throws RevocationUnavailableException the request's shared budget is already spent on calls Redis did not
     *                                        answer: no attempt is made
     */
    long deadline() {
        long now = System.nanoTime();
        long deadline = RequestDeadline.of(now + budgetNanos);
        if (deadline - now <= 0) {
            throw new RevocationUnavailableException("Redis not asked: this request already spent its "
                    + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + " ms for Redis on an earlier call");
        }
        return deadline;
    }

    /**
     * As {@link #run(String, String, boolean, ConnectionCall)}, retrying only until {@code deadlineNanos}: for
     * the second part of one operation (the key-by-key fallback after TRYAGAIN), which shares the first
     * part's budget instead of starting its own.
     */
    <T> T run(String operation, String key, boolean failOnTryAgain, long deadlineNanos, ConnectionCall<T> call) {
        long start = System.nanoTime();
        try {
            T answer = attempt(operation, key, failOnTryAgain, call, start, deadlineNanos);
            RequestDeadline.answered(); // the store answers: a later call of the request gets its own budget
            return answer;
        } finally {
            metrics.redisCalls().record(System.nanoTime() - start);
        }
    }

    /** Where the Redis parts count what they do. */
    GateMetrics metrics() {
        return metrics;
    }

    private <T> T attempt(String operation, String key, boolean failOnTryAgain, ConnectionCall<T> call, long start,
                          long deadline) {
        HostAndPort redirect = null;
        boolean asking = false;
        RuntimeException last = null;
        int attempt = 0;
        while (attempt < maxAttempts) {
            attempt++;
            HostAndPort target = null;
            try {
                target = redirect != null ? redirect : connections.masterFor(key);
                try (Connection connection = connections.connect(target)) {
                    if (asking) {
                        connection.executeCommand(Protocol.Command.ASKING);
                    }
                    return call.apply(connection);
                }
            } catch (JedisMovedDataException e) {
                metrics.redisEvent(RedisEvent.REDIRECT);
                last = e;
                redirect = e.getTargetNode();
                asking = false;
                connections.slotsMoved(); // follow the redirection now; the map refreshes meanwhile
            } catch (JedisAskDataException e) {
                metrics.redisEvent(RedisEvent.REDIRECT);
                last = e;
                redirect = e.getTargetNode();
                asking = true;
            } catch (JedisConnectionException | JedisClusterOperationException e) {
                // Dead, restarted, hung or unknown node; or not connected yet.
                metrics.redisEvent(isTimeout(e) ? RedisEvent.TIMEOUT : RedisEvent.REFUSED);
                last = e;
                redirect = null;
                asking = false;
                await(connections.nodeFailed(target), deadline);
            } catch (JedisClusterException e) {
                // CLUSTERDOWN: a failover is under way.
                metrics.redisEvent(RedisEvent.CLUSTERDOWN);
                last = e;
                redirect = null;
                asking = false;
                connections.clusterDown();
                pause(attempt, deadline);
            } catch (JedisDataException e) {
                if (isTryAgain(e) && failOnTryAgain) {
                    throw new SlotMigratingException(e);
                }
                metrics.redisEvent(RedisEvent.OTHER);
                if (!isTransient(e)) {
                    throw unavailable(operation, attempt, start, e);
                }
                last = e;
                pause(attempt, deadline);
            } catch (RevocationUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                // Pool exhausted within its bounded wait, authentication refused, anything else: no retry.
                metrics.redisEvent(isTimeout(e) ? RedisEvent.TIMEOUT : RedisEvent.OTHER);
                throw unavailable(operation, attempt, start, e);
            }
            // A redirection is followed even past the deadline (within max-attempts): it names where the key
            // is, and the key-by-key fallback after TRYAGAIN may start with its budget already spent.
            if (redirect == null && System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        throw unavailable(operation, attempt, start, last);
    }

    /** A read or connect that ran out of time, as opposed to a refused or reset connection. */
    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.util.NoSuchElementException) {
                return true; // NoSuchElementException: the pool's bounded wait ran out
            }
        }
        return false;
    }

    private static boolean isTryAgain(JedisDataException e) {
        return e.getMessage() != null && e.getMessage().startsWith("TRYAGAIN");
    }

    /** Answers that go away by themselves within moments. */
    private static boolean isTransient(JedisDataException e) {
        String message = e.getMessage();
        return message != null && (message.startsWith("TRYAGAIN") || message.startsWith("LOADING")
                || message.startsWith("MASTERDOWN"));
    }

    /** Waits for the topology to be looked at again, within the call's budget. */
    private static void await(CompletableFuture<Void> refreshed, long deadline) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || refreshed.isDone()) {
            return;
        }
        try {
            refreshed.get(remaining, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RevocationUnavailableException("Interrupted while waiting for Redis", e);
        } catch (ExecutionException | TimeoutException e) {
            // Discovery failed or is slow: the next attempt tells.
        }
    }

    /**
     * A short, growing, jittered pause, never past the deadline. Counted in nanoseconds: rounding the
     * rest of the budget down to whole milliseconds would let the last sub-millisecond spin through
     * every remaining attempt without pausing.
     */
    private void pause(int attempt, long deadline) {
        long step = TimeUnit.MILLISECONDS.toNanos(backoffStepMs * attempt);
        long nanos = Math.min(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1), deadline - System.nanoTime());
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RevocationUnavailableException("Interrupted while waiting for Redis", e);
        }
    }

    private static RevocationUnavailableException unavailable(String operation, int attempts, long start,
                                                               RuntimeException cause) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String reason = cause == null ? "no attempt made" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new RevocationUnavailableException("Redis " + operation + " failed after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + " in " + millis + " ms: " + reason, cause);
    }
}
