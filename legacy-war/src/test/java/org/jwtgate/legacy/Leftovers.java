package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.http.RawHttp;
import redis.clients.jedis.Jedis;

/**
 * What the redeploy ITs look for in a running container after an application stopped, from outside its JVM:
 * JwtGate's threads and MBeans (remote JMX on loopback, {@link ServletContainer#loopbackJmxOptions}), its Redis
 * connections (CLIENT LIST on every node of the cluster), and the classes that still have live instances (the
 * JVM's class histogram, taken after a full GC, through its DiagnosticCommand MBean: what {@code jcmd <pid>
 * GC.class_histogram} prints). Also the requests each round sends, so that every lazy resource exists.
 */
final class Leftovers {

    private static final Pattern FORK_JOIN_POOL = Pattern.compile("ForkJoinPool-\\d+");

    private final MBeanServerConnection server;
    private final RedisCluster cluster;
    private final Set<String> schedulerPools = new HashSet<>();

    Leftovers(MBeanServerConnection server, RedisCluster cluster) {
        this.server = server;
        this.cluster = cluster;
    }

    /**
     * Authenticated requests, a public one, an unauthenticated one and a logout (a revocation through the cluster)
     * to legacy.war; authenticated, unauthenticated and public requests to secured.war (its module).
     */
    static void serve(ServletContainer container, int round) throws Exception {
        assertEquals(200, container.getWithToken("/legacy/hello", LegacyApps.legacyToken("alice", "admin")).statusCode());
        assertEquals(200, container.getWithToken("/legacy/async", LegacyApps.legacyToken("bob")).statusCode());
        assertEquals(401, container.get("/legacy/hello").statusCode());
        assertEquals(200, container.get("/legacy/public/ping").statusCode());
        assertEquals(200, container.post("/legacy/logout", "Authorization",
                "Bearer " + LegacyApps.legacyToken("carol" + round)).statusCode());
        assertEquals(200, container.getWithToken("/secured/admin/page", SecuredApps.token("alice", "admin")).statusCode());
        assertEquals(401, container.get("/secured/user/page").statusCode());
        assertEquals(200, container.get("/secured/public/page").statusCode());
    }

    /** Waits until {@code path} no longer answers 200, then until the stop's own waits (pools, executors) are over. */
    static void awaitNotServing(ServletContainer container, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (container.get(path).statusCode() == 200) {
            assertFalse(System.nanoTime() > deadline, path + " still served");
            Thread.sleep(200);
        }
        Thread.sleep(2000);
    }

    /**
     * Names of the live threads JwtGate or its libraries (Jedis, commons-pool, the JDK's HttpClient, the JWKS client's
     * {@code ForkJoinPool-*} workers) started, sorted. Not those of the JDK's virtual-thread scheduler, a ForkJoinPool
     * too ({@code ForkJoinPool-<n>-worker-<m>}, {@code -delayScheduler}), the container's when it runs requests on
     * virtual threads: see {@link #virtualThreadSchedulerPools}.
     */
    List<String> jwtgateThreads() throws IOException {
        List<ThreadInfo> all = threadInfos();
        Set<String> schedulerPools = virtualThreadSchedulerPools(all);
        List<String> names = new ArrayList<>();
        for (ThreadInfo info : all) {
            String name = info.getThreadName();
            String lower = name.toLowerCase(Locale.ROOT);
            if ((lower.contains("jwtgate") || lower.contains("pool-evictor") || lower.contains("jedis")
                    || lower.contains("httpclient") || lower.startsWith("forkjoinpool-"))
                    && !schedulerPools.contains(poolOf(name))) {
                names.add(name);
            }
        }
        names.sort(null);
        return names;
    }

    /**
     * The {@code ForkJoinPool-<n>} names of the JDK's virtual-thread scheduler, remembered once seen (a JVM has one,
     * for its life). Its name says nothing (the JWKS client's pool is named alike), nor do its idle threads' stacks:
     * its idle workers park on the pool itself, the object that {@code jcmd <pid> Thread.vthread_scheduler} shows
     * (JDK 21 and later; JDK 17 has no such command and no virtual threads).
     */
    private Set<String> virtualThreadSchedulerPools(List<ThreadInfo> threads) throws IOException {
        String scheduler;
        try {
            scheduler = diagnosticCommand("threadVthreadScheduler").split("\\[", 2)[0].strip();
        } catch (JMException noVirtualThreads) {
            return schedulerPools;
        }
        for (ThreadInfo info : threads) {
            if (info.getThreadName().startsWith("ForkJoinPool-") && scheduler.equals(info.getLockName())) {
                schedulerPools.add(poolOf(info.getThreadName()));
            }
        }
        return schedulerPools;
    }

    /** {@code ForkJoinPool-<n>} of a pool's thread's name, else the name. */
    private static String poolOf(String threadName) {
        Matcher pool = FORK_JOIN_POOL.matcher(threadName);
        return pool.lookingAt() ? pool.group() : threadName;
    }

    /**
     * {@link #jwtgateThreads()} once each near-cache made its first load (30 s at most): its loader thread starts with
     * that load, a moment after the subscription the first request starts, so a list taken at once may lack it.
     */
    List<String> jwtgateThreadsOnceLoaded() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<String> names = jwtgateThreads();
            if (count(names, "jwtgate-near-cache-loader") >= count(names, "jwtgate-near-cache-subscriber")
                    || System.nanoTime() - deadline > 0) {
                return names;
            }
            Thread.sleep(50);
        }
    }

    private static long count(List<String> names, String prefix) {
        return names.stream().filter(name -> name.startsWith(prefix)).count();
    }

    List<String> allThreads() throws IOException {
        List<String> names = new ArrayList<>();
        for (ThreadInfo info : threadInfos()) {
            names.add(info.getThreadName());
        }
        names.sort(null);
        return names;
    }

    private List<ThreadInfo> threadInfos() throws IOException {
        ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME,
                ThreadMXBean.class);
        return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds())).filter(Objects::nonNull).toList();
    }

    /** JwtGate's MBeans ({@code org.jwtgate:*}). */
    Set<ObjectName> mbeans() throws IOException, JMException {
        return server.queryNames(new ObjectName("org.jwtgate:*"), null);
    }

    /** Connections named jwtgate on every node of the cluster (CLIENT LIST). */
    int redisConnections() {
        int count = 0;
        for (RedisCluster.Node node : cluster.nodes()) {
            try (Jedis jedis = node.connect()) {
                for (String line : jedis.clientList().split("\n")) {
                    if (line.contains(" name=jwtgate ")) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /**
     * After a full GC and the finalization it makes due (the JDK's single-thread executors are shut down by a
     * finalizer, which keeps what they reference one collection longer), the live instances of the classes
     * {@code names} name (a name ending with a dot: every class of that package and those below), by class name; a
     * name loaded by several class loaders (one per application, or per start of one) is one class each, so the value
     * lists each class's count, in the histogram's order.
     */
    Map<String, List<Long>> liveInstances(String... names) throws IOException, JMException {
        diagnosticCommand("gcRun");
        diagnosticCommand("gcRunFinalization");
        Map<String, List<Long>> instances = new TreeMap<>();
        for (String line : diagnosticCommand("gcClassHistogram").split("\n")) {
            // "   12:          3           96  org.jwtgate.filter.JwtAuthFilter", a module in brackets after some
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 4 || !fields[0].endsWith(":")) {
                continue;
            }
            for (String name : names) {
                if (matches(name, fields[3])) {
                    instances.computeIfAbsent(fields[3], key -> new ArrayList<>()).add(Long.parseLong(fields[1]));
                }
            }
        }
        return instances;
    }

    /**
     * Fails unless {@code live}, what {@link #liveInstances} found while the applications run, has live instances of a
     * class one of {@code names} names. A later check that none of them is left passes as well when the names match
     * nothing (a class renamed, a change in the histogram's format): seen here, they are shown to match.
     */
    static void assertSeen(Map<String, List<Long>> live, String what, String... names) {
        boolean seen = live.entrySet().stream().anyMatch(found -> found.getValue().stream().anyMatch(count -> count > 0)
                && Arrays.stream(names).anyMatch(name -> matches(name, found.getKey())));
        assertTrue(seen, what + ": no live instance of " + Arrays.toString(names) + " in the class histogram of the running"
                + " container (found " + live + "): a check that none is left would pass whatever is left");
    }

    /** Whether {@code className} is the class {@code name} names, or of the package a name ending with a dot names. */
    private static boolean matches(String name, String className) {
        return name.endsWith(".") ? className.startsWith(name) : className.equals(name);
    }

    /**
     * {@link #liveInstances} once it equals {@code expected}, or after {@code timeout}, a request to {@code container}'s
     * root on a connection of its own (closed after the answer) before each look. Jetty 12 keeps a stopped
     * application's context reachable for a while: from each idle keep-alive connection whose last request it served
     * (the connection keeps its servlet channel for the next request) until the connection's idle timeout closes it,
     * or the client does (the ITs' HttpClients close a connection idle for 2 s: jdk.httpclient.keepalive.timeout in
     * the pom), then from its selector's last selected key until the selector wakes up again, for that request.
     */
    Map<String, List<Long>> awaitLiveInstances(Map<String, List<Long>> expected, Duration timeout,
            ServletContainer container, String... names) throws IOException, JMException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RawHttp.get(container.httpPort, "/");
        Map<String, List<Long>> instances = liveInstances(names);
        while (!instances.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            RawHttp.get(container.httpPort, "/");
            instances = liveInstances(names);
        }
        return instances;
    }

    /** What {@code jcmd <pid> <command>} answers, the command named as the JVM's DiagnosticCommand MBean names it. */
    private String diagnosticCommand(String operation) throws IOException, JMException {
        return (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }
}
