package org.jwtgate.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.security.auth.message.AuthStatus;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The module a container builds from its options (Tomcat's jaspic-providers.xml), started while Redis refuses
 * redis.user (a real 3+3 cluster without the user on any node): requests get 503 and the start is tried again, at
 * most once per interval, each failed try leaving no thread and no connection; once the user is set on every node
 * the next try starts the module.
 */
class ModuleStartRetryIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final String USER = "jwtgate-retry";
    private static final String PASSWORD = "retry-secret-1";
    private static final Duration INTERVAL = Duration.ofMillis(300);

    @AfterEach
    void dropUser() {
        acl("DELUSER", USER);
    }

    @Test
    void whenRedisRefusesTheUserThenEveryTryReleasesItsConnectionsAndThreadsAndTheModuleStartsOnceFixed() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        acl("DELUSER", USER);
        Map<String, Object> options = new HashMap<>(TestTokens.settings());
        options.put("revocation.store", "redis-cluster");
        options.put("redis.nodes", cluster.nodesSpec());
        options.put("redis.user", USER);
        options.put("redis.password", PASSWORD);
        TreeSet<String> threads = jwtgateThreads();
        long clients = clients();
        // Each start, the first and every try again, completes its settings from these sources once: they count the tries.
        AtomicInteger starts = new AtomicInteger();
        // And whether a start held a monitor: on JDK 21-23 a virtual thread connecting to Redis in one pins its carrier.
        List<String> monitorsHeld = new CopyOnWriteArrayList<>();
        JwtServerAuthModule module = new JwtServerAuthModule(() -> {
            starts.incrementAndGet();
            Arrays.stream(ManagementFactory.getThreadMXBean().getThreadInfo(new long[] {Thread.currentThread().getId()},
                    true, false)[0].getLockedMonitors()).forEach(monitor -> monitorsHeld.add(monitor.toString()));
            return ConfigSources.none();
        }, INTERVAL.toNanos());
        try {
            String token = TestTokens.hs256("alice", "admin");
            Exchange.get(true, "Authorization", "Bearer " + token); // Mockito's first mocks take seconds: not in the intervals
            long began = System.nanoTime();
            module.initialize(null, null, callbacks -> { }, options);
            int tries = 0;
            int answeredWithoutATry = 0;
            long until = System.nanoTime() + INTERVAL.multipliedBy(6).toNanos();
            while (System.nanoTime() - until < 0) {
                int startsBefore = starts.get();
                Exchange exchange = Exchange.get(true, "Authorization", "Bearer " + token);
                assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(exchange, new Subject(), null));
                assertEquals(503, exchange.status);
                assertTrue(exchange.headersWritten.containsKey("Retry-After"), exchange.headersWritten.toString());
                if (starts.get() == startsBefore) {
                    answeredWithoutATry++;
                }
                tries++;
                Thread.sleep(20);
            }
            // A try at most once per interval, however many requests come: the others within it are answered at once.
            long elapsed = System.nanoTime() - began;
            String counted = starts.get() + " starts (the first included) for " + tries + " requests, " + answeredWithoutATry
                    + " of them answered without a try, over " + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms (interval "
                    + INTERVAL.toMillis() + " ms)";
            assertTrue(answeredWithoutATry > 0, counted);
            assertTrue(starts.get() <= 1 + elapsed / INTERVAL.toNanos(), counted);
            assertEquals(List.of(), monitorsHeld, "monitors held by the starts: " + counted);
            // The reason names the user for the log and gate(); health, which may be public, only what was refused.
            String notStarted = assertThrows(IllegalStateException.class, module::gate).getMessage();
            assertTrue(notStarted.contains("[redis.user]: [" + USER + "]"), notStarted);
            String health = module.health().details().get("module");
            assertTrue(health.startsWith("not started: Redis refused redis.user") && !health.contains(USER), health);
            assertEquals(threads, awaitThreads(threads), "threads after " + tries + " requests refused over 6 intervals");
            assertEquals(clients, awaitClients(clients), "Redis connections after the failed tries");

            acl("SETUSER", USER, "reset", "on", ">" + PASSWORD, "~*", "&*", "+@all");
            long fixed = System.nanoTime();
            AuthStatus status = AuthStatus.SEND_FAILURE;
            // Five intervals and a start's own time on a loaded machine: a module that never tried again stays refused.
            while (status != AuthStatus.SUCCESS
                    && System.nanoTime() - fixed < INTERVAL.multipliedBy(5).plusSeconds(5).toNanos()) {
                Thread.sleep(20);
                status = module.validateRequest(Exchange.get(true, "Authorization", "Bearer " + token), new Subject(), null);
            }
            assertEquals(AuthStatus.SUCCESS, status, "after the user was set on every node, "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fixed) + " ms");
        } finally {
            module.close();
        }
    }

    private static void acl(String... args) {
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(Protocol.Command.ACL, args);
            }
        }
    }

    /** The clients connected to the cluster's nodes, this count's own connections left out. */
    private static long clients() {
        long total = 0;
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                String info = jedis.info("clients");
                total += info.lines().filter(l -> l.startsWith("connected_clients:"))
                        .mapToLong(l -> Long.parseLong(l.substring("connected_clients:".length()).trim())).sum() - 1;
            }
        }
        return total;
    }

    private static long awaitClients(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long now = clients();
        while (now != expected && System.nanoTime() - deadline < 0) {
            Thread.sleep(100);
            now = clients();
        }
        return now;
    }

    private static TreeSet<String> jwtgateThreads() {
        TreeSet<String> names = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String lower = thread.getName().toLowerCase(Locale.ROOT);
            if (List.of("jwtgate", "evictor", "jedis", "httpclient").stream().anyMatch(lower::contains)) {
                names.add(thread.getName() + "#" + thread.getId());
            }
        }
        return names;
    }

    private static TreeSet<String> awaitThreads(TreeSet<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        TreeSet<String> now = jwtgateThreads();
        while (!now.equals(expected) && System.nanoTime() - deadline < 0) {
            Thread.sleep(100);
            now = jwtgateThreads();
        }
        return now;
    }
}
