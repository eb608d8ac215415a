package org.jwtgate.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.Setting;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.NearCacheStats;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testkit.RedisCluster;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The scale harness: N simulated application instances — each a {@link JwtGate} with its own Redis
 * client and its own near-cache (subscription, heartbeats, freshness, apply: JwtGate's own code, no
 * HTTP) — against the real 6-node test cluster, for each N given. For each N it reports what the idle
 * instances cost the cluster over a steady-state window (commands/s on the channel's master and on the
 * other nodes, pub/sub messages on the cluster bus, the channel master's CPU), the fraction of time
 * the instances were fresh, and how long a revocation made through one more instance (the writer)
 * takes to be applied by all N (over {@code --revocations} revocations). With {@code --stored M} it
 * also measures one instance's load of M stored revocations: time to fresh and heap.
 *
 * <pre>java -Xss256k -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.ScaleBenchmark --instances 1,10,100,1000</pre>
 *
 * Exits with 1 when some instance never became fresh or a revocation did not reach every instance.
 */
public final class ScaleBenchmark {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    private static final Pattern CMDSTAT = Pattern.compile("(?m)^cmdstat_([^:]+):calls=(\\d+)");
    private static final Pattern BUS_STAT = Pattern.compile("cluster_stats_messages_(\\w*publish\\w*):(\\d+)");
    private static final Pattern CPU = Pattern.compile("(?m)^used_cpu_(?:sys|user):([0-9.]+)");
    /** Not the instances' doing: this harness's own monitoring and the replicas' acknowledgements. */
    private static final List<String> OBSERVER = List.of("info", "cluster|info", "client|setname", "replconf",
            "client", "cluster");

    static {
        DEFAULTS.put("instances", "1,10,100,1000");
        DEFAULTS.put("window-seconds", "10");
        DEFAULTS.put("revocations", "200");
        DEFAULTS.put("settle-seconds", "120");
        DEFAULTS.put("stored", "0"); // revocations stored for the load measurement; 0: none
        DEFAULTS.put("sample-ms", "10");
        // How often the propagation observer looks at the instances. The times are the instances' own; polling
        // only finds out when all have applied, and more often would take CPU from them.
        DEFAULTS.put("poll-us", "5000");
        // Least time from one revocation's start to the next one's. 0: the next starts as soon as every instance
        // applied the previous one (revocations back to back: each may meet the tail of the previous fan-out).
        DEFAULTS.put("interval-ms", "0");
        // Redis's own default: a node starved of CPU by the simulated instances is not failed over.
        DEFAULTS.put("node-timeout-ms", "15000");
        DEFAULTS.put("max-staleness-ms", "100"); // revocation.max-staleness-ms: heartbeats every max-staleness / 4
    }

    private final List<Integer> counts;
    private final int windowSeconds;
    private final int revocations;
    private final int settleSeconds;
    private final int stored;
    private final int sampleMs;
    private final long pollNanos;
    private final long intervalNanos;
    private final int nodeTimeoutMs;
    private final int maxStalenessMs;

    private ScaleBenchmark(Options options) {
        this.counts = options.integers("instances", 1);
        this.windowSeconds = options.integer("window-seconds", 1);
        this.revocations = options.integer("revocations", 1);
        this.settleSeconds = options.integer("settle-seconds", 1);
        this.stored = options.integer("stored", 0);
        this.sampleMs = options.integer("sample-ms", 1);
        this.pollNanos = TimeUnit.MICROSECONDS.toNanos(options.integer("poll-us", 1));
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(options.integer("interval-ms", 0));
        this.nodeTimeoutMs = options.integer("node-timeout-ms", 100);
        // It becomes revocation.max-staleness-ms: checked against that setting's range here, before a cluster starts.
        Setting staleness = ConfigKeys.setting(ConfigKeys.REVOCATION_MAX_STALENESS_MS);
        this.maxStalenessMs = options.integer("max-staleness-ms", (int) staleness.min(), (int) staleness.max());
    }

    static ScaleBenchmark create(String[] args) {
        return new ScaleBenchmark(Options.parse(args, DEFAULTS));
    }

    public static void main(String[] args) throws Exception {
        Options.main(args, DEFAULTS, options -> new ScaleBenchmark(options)::run);
    }

    /** One N's figures. */
    record Row(int instances, double secondsToAllFresh, double freshFraction, double channelMasterCommands,
               double otherNodesCommandsMax, String channelMasterTop, double busPublishPerSecond,
               double channelMasterCpu, LatencySummary toAll, LatencySummary perInstance, int notReached,
               long resubscriptions) {
    }

    boolean run(PrintStream out) throws Exception {
        TokenSigner signer = TokenSigner.create("HS256");
        boolean ok = true;
        try (RedisCluster cluster = RedisCluster.builder().nodeTimeoutMs(nodeTimeoutMs).start()) {
            Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
            RevocationVariant.REDIS_CLUSTER.applyTo(settings, cluster);
            settings.put(ConfigKeys.REVOCATION_MAX_STALENESS_MS, Integer.toString(maxStalenessMs));
            JwtGateConfig config = JwtGateConfig.of(settings);
            String channel = settings.getOrDefault(ConfigKeys.REDIS_KEY_PREFIX, "jwtgate:") + "events";
            RedisCluster.Node channelMaster = cluster.masterForKey(channel);
            out.println("== Near-cache at scale: N instances (own Redis client and near-cache each, no HTTP) on one cluster");
            out.printf(Locale.ROOT, "JDK %s, %d CPUs, %s, 3 masters + 3 replicas, channel %s (slot %d) on %s;"
                            + " max-staleness %s ms; window %d s, %d revocations per N, observed every %d us, revocations at least %d ms apart; started %s%n",
                    Runtime.version(), Runtime.getRuntime().availableProcessors(), cluster.binary(), channel,
                    JedisClusterCRC16.getSlot(channel), channelMaster, config.nearCache().maxStalenessMs(), windowSeconds,
                    revocations, TimeUnit.NANOSECONDS.toMicros(pollNanos), TimeUnit.NANOSECONDS.toMillis(intervalNanos),
                    Instant.now());
            List<Row> rows = new ArrayList<>();
            try (JwtGate writer = JwtGate.start(config)) {
                for (int n : counts) {
                    Row row = measure(n, config, writer.revocation(), signer, cluster, channelMaster, out);
                    rows.add(row);
                    ok &= row.notReached() == 0 && row.secondsToAllFresh() >= 0;
                    printTable(rows, out);
                }
            }
            if (stored > 0) {
                measureLoad(config, cluster, out);
            }
        }
        return ok;
    }

    private Row measure(int n, JwtGateConfig config, RevocationService writer, TokenSigner signer, RedisCluster cluster,
                        RedisCluster.Node channelMaster, PrintStream out) throws Exception {
        List<JwtGate> instances = new ArrayList<>(n);
        try {
            long began = System.nanoTime();
            JwtPrincipal probe = null;
            for (int i = 0; i < n; i++) {
                JwtGate gate = JwtGate.start(config);
                instances.add(gate);
                if (probe == null) {
                    probe = gate.verify(signer.mint("scale-probe"));
                }
                try {
                    gate.revocation().isRevoked(probe); // the first check starts the near-cache
                } catch (RevocationUnavailableException e) {
                    // A starved machine: Redis answered too late. The near-cache has started all the same.
                    out.printf(Locale.ROOT, "N=%d: instance %d's first check failed (%s); its near-cache goes on%n",
                            n, i + 1, e.getMessage());
                }
            }
            double toFresh = awaitAllFresh(instances, began);
            if (toFresh < 0) {
                out.printf(Locale.ROOT, "N=%d: %d instances started; after %d s %d were not fresh: measured as they are%n",
                        n, n, settleSeconds, notFresh(instances));
            } else {
                out.printf(Locale.ROOT, "N=%d: %d instances started, all fresh after %.1f s%n", n, n, toFresh);
            }

            // Steady state: idle instances, sampled for freshness.
            Map<RedisCluster.Node, Map<String, Long>> before = commandStats(cluster);
            long busBefore = busPublish(cluster);
            double cpuBefore = cpuSeconds(channelMaster);
            AtomicLong samples = new AtomicLong();
            AtomicLong freshSamples = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            ExecutorService sampler = Executors.newSingleThreadExecutor(daemon("scale-sampler"));
            Future<?> sampling1 = sampler.submit(() -> {
                while (sampling.get()) {
                    for (JwtGate gate : instances) {
                        samples.incrementAndGet();
                        if (gate.revocation().nearCacheStats().map(NearCacheStats::fresh).orElse(false)) {
                            freshSamples.incrementAndGet();
                        }
                    }
                    sleep(sampleMs);
                }
                return null;
            });
            long subscriptionsBefore = subscriptions(instances);
            long windowStart = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(windowSeconds));
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            sampling.set(false);
            sampling1.get(10, TimeUnit.SECONDS);
            sampler.shutdownNow();
            double cpu = (cpuSeconds(channelMaster) - cpuBefore) / seconds;
            long bus = busPublish(cluster) - busBefore;
            Map<RedisCluster.Node, Map<String, Long>> after = commandStats(cluster);
            Map<String, Long> masterDelta = delta(before.get(channelMaster), after.get(channelMaster));
            double masterCommands = masterDelta.values().stream().mapToLong(Long::longValue).sum() / seconds;
            double othersMax = 0;
            for (RedisCluster.Node node : cluster.nodes()) {
                if (node != channelMaster) {
                    othersMax = Math.max(othersMax,
                            delta(before.get(node), after.get(node)).values().stream().mapToLong(Long::longValue).sum() / seconds);
                }
            }
            double fresh = samples.get() == 0 ? 0 : (double) freshSamples.get() / samples.get();
            long resubscriptions = subscriptions(instances) - subscriptionsBefore;

            // Propagation: one writer revokes; every instance must apply the announcement.
            // A revocation call returns max-staleness after its announcement (the settle wait): the next one is
            // made as soon as every instance applied the previous one (and --interval-ms after the previous one's
            // start), from another writer thread, so the propagation phase is mostly fan-out and its CPU can be told
            // from the heartbeats' own.
            ExecutorService revoker = Executors.newCachedThreadPool(daemon("scale-writer"));
            List<Future<?>> calls = new ArrayList<>(revocations);
            // Each instance's time is its own record of when it applied the announcement (NearCacheStats, to the
            // millisecond): the observer only finds out, so its own scheduling delays on a crowded machine do not
            // count. What the observer saw is reported beside, for comparison.
            long[] toAll = new long[revocations];
            long[] toAllObserved = new long[revocations];
            // The first instance's time is the write path (store write, replication wait, announcement); the rest
            // of toAll is the fan-out.
            long[] toFirst = new long[revocations];
            List<Long> perInstance = new ArrayList<>(revocations * n);
            int notReached = 0;
            // Where a revocation's fan-out spends its CPU: the channel master writing it to N subscribers, and
            // this JVM (the N instances' threads reading and applying it, the writer, the observer); each above
            // its rate over a quiet interval just before (heartbeats only, nothing else running).
            double masterQuietBefore = cpuSeconds(channelMaster);
            long jvmQuietBefore = ProcessCpu.nanos();
            long quietStart = System.nanoTime();
            Thread.sleep(3_000);
            // The quiet interval's end is the propagation phase's start: one reading serves both.
            double masterCpuBefore = cpuSeconds(channelMaster);
            long jvmCpuBefore = ProcessCpu.nanos();
            Map<String, long[]> gcBefore = collections();
            long propagationStart = System.nanoTime();
            double quietSeconds = (propagationStart - quietStart) / 1e9;
            double masterQuietRate = (masterCpuBefore - masterQuietBefore) / quietSeconds;
            double jvmQuietRate = (jvmCpuBefore - jvmQuietBefore) / 1e9 / quietSeconds;
            long previousStart = System.nanoTime() - intervalNanos;
            for (int r = 0; r < revocations; r++) {
                long wait;
                while ((wait = previousStart + intervalNanos - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait); // may return early
                }
                long[] baseline = new long[n];
                for (int i = 0; i < n; i++) {
                    baseline[i] = applied(instances.get(i));
                }
                Instant now = Instant.now();
                TokenRef token = new TokenRef("https://issuer.example", "scale-" + r, "jti-" + r + "-" + System.nanoTime(),
                        now, now.plus(Duration.ofHours(1)));
                long startMillis = System.currentTimeMillis();
                long start = System.nanoTime();
                previousStart = start;
                Future<?> revoke = revoker.submit(() -> writer.revokeToken(token));
                long[] seen = new long[n];
                long[] stamped = new long[n];
                boolean[] reached = new boolean[n];
                int remaining = n;
                long deadline = start + TimeUnit.SECONDS.toNanos(5);
                while (remaining > 0 && System.nanoTime() - deadline < 0) {
                    for (int i = 0; i < n; i++) {
                        if (reached[i]) {
                            continue;
                        }
                        NearCacheStats stats = instances.get(i).revocation().nearCacheStats().orElseThrow();
                        if (stats.announcementsApplied() > baseline[i]) {
                            seen[i] = System.nanoTime() - start;
                            // Stamped before the count moves, so it is this announcement's (none other is under way).
                            stamped[i] = TimeUnit.MILLISECONDS.toNanos(
                                    Math.max(0, stats.lastAnnouncementApplied().toEpochMilli() - startMillis));
                            reached[i] = true;
                            remaining--;
                        }
                    }
                    // Parked between sweeps, not spinning: a spinning observer takes one of the cores the
                    // instances' subscriber threads need to apply the announcement.
                    LockSupport.parkNanos(pollNanos);
                }
                calls.add(revoke);
                long slowest = 0;
                long slowestSeen = 0;
                long fastest = Long.MAX_VALUE;
                for (int i = 0; i < n; i++) {
                    if (reached[i]) {
                        perInstance.add(stamped[i]);
                        slowest = Math.max(slowest, stamped[i]);
                        slowestSeen = Math.max(slowestSeen, seen[i]);
                        fastest = Math.min(fastest, stamped[i]);
                    }
                }
                toFirst[r] = fastest == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(5) : fastest;
                notReached += remaining;
                toAll[r] = remaining > 0 ? TimeUnit.SECONDS.toNanos(5) : slowest;
                toAllObserved[r] = remaining > 0 ? TimeUnit.SECONDS.toNanos(5) : slowestSeen;
            }
            double propagationSeconds = (System.nanoTime() - propagationStart) / 1e9;
            double masterCpu = cpuSeconds(channelMaster) - masterCpuBefore;
            double jvmCpu = (ProcessCpu.nanos() - jvmCpuBefore) / 1e9;
            String gcMeanwhile = collectionsSince(gcBefore);
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS); // each acknowledged (or its failure reported)
            }
            revoker.shutdownNow();
            // Above the steady state's own rate (heartbeats): what the revocations added.
            // The simulation holds N instances' state in one heap: a collection during this phase is its own
            // artifact (a real instance holds one near-cache), so it is reported beside the figures.
            out.printf(Locale.ROOT, "N=%d: %d revocations in %.1f s; CPU per revocation above the steady state: channel"
                            + " master %.2f ms (writing it to %d subscribers), this JVM %.2f ms (%d instances applying it,"
                            + " the writer and the observer); garbage collections meanwhile: %s%n", n,
                    revocations, propagationSeconds, 1000 * (masterCpu - masterQuietRate * propagationSeconds) / revocations,
                    n, 1000 * (jvmCpu - jvmQuietRate * propagationSeconds) / revocations, n, gcMeanwhile);
            out.printf(Locale.ROOT, "N=%d: revocation -> first instance (the write path) p50 / p99 / max: %s ms;"
                            + " -> all N as the observer saw it (polling every %d us): %s ms%n", n,
                    triple(LatencySummary.of(toFirst)), TimeUnit.NANOSECONDS.toMicros(pollNanos),
                    triple(LatencySummary.of(toAllObserved)));
            long[] pairs = perInstance.isEmpty() ? new long[] {0} : perInstance.stream().mapToLong(Long::longValue).toArray();
            return new Row(n, toFresh, fresh, masterCommands, othersMax, top(masterDelta, seconds), bus / seconds, cpu,
                    LatencySummary.of(toAll), LatencySummary.of(pairs), notReached, resubscriptions);
        } finally {
            for (JwtGate gate : instances) {
                gate.close();
            }
        }
    }

    /** One instance loads {@code stored} revocations written beforehand: time to fresh and heap held. */
    private void measureLoad(JwtGateConfig config, RedisCluster cluster, PrintStream out) throws Exception {
        out.printf(Locale.ROOT, "== Near-cache load: %d stored revocations%n", stored);
        long writeStart = System.nanoTime();
        try (RedisClusterClient client = cluster.newClient(); ClusterPipeline pipeline = client.pipelined()) {
            for (int i = 0; i < stored; i++) {
                pipeline.set("jwtgate:{load-" + (i % 100_000) + "}:jti:https%3a//issuer.example:" + i, "1",
                        SetParams.setParams().px(TimeUnit.HOURS.toMillis(2)));
                if (i % 10_000 == 9_999) {
                    pipeline.sync();
                }
            }
            pipeline.sync();
        }
        out.printf(Locale.ROOT, "written in %.1f s%n", (System.nanoTime() - writeStart) / 1e9);
        long heapBefore = usedHeapAfterGc();
        long began = System.nanoTime();
        try (JwtGate gate = JwtGate.start(config)) {
            gate.revocation().isRevoked(new JwtPrincipal("probe", "probe", "https://issuer.example", "probe",
                    Instant.now(), Instant.now().plusSeconds(60), java.util.Set.of(), Map.of()));
            double seconds = awaitAllFresh(List.of(gate), began);
            long heapAfter = usedHeapAfterGc();
            NearCacheStats stats = gate.revocation().nearCacheStats().orElseThrow();
            out.printf(Locale.ROOT, "fresh after %.1f s (subscribe + SCAN load of every master); %d held exactly"
                            + " (revocation.near-cache.capacity), %d in the Bloom filter; heap held: %.1f MiB (%.0f bytes per"
                            + " revocation)%n", seconds, stats.exactEntries(), stats.overflowEntries(),
                    (heapAfter - heapBefore) / 1048576.0, (double) (heapAfter - heapBefore) / stored);
        }
    }

    private double awaitAllFresh(List<JwtGate> instances, long began) throws InterruptedException {
        long deadline = began + TimeUnit.SECONDS.toNanos(settleSeconds);
        while (System.nanoTime() - deadline < 0) {
            boolean all = true;
            for (JwtGate gate : instances) {
                if (!gate.revocation().nearCacheStats().map(NearCacheStats::fresh).orElse(false)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return (System.nanoTime() - began) / 1e9;
            }
            Thread.sleep(50);
        }
        return -1;
    }

    private static long notFresh(List<JwtGate> instances) {
        return instances.stream()
                .filter(gate -> !gate.revocation().nearCacheStats().map(NearCacheStats::fresh).orElse(false)).count();
    }

    private static long subscriptions(List<JwtGate> instances) {
        long total = 0;
        for (JwtGate gate : instances) {
            total += gate.revocation().nearCacheStats().map(NearCacheStats::subscriptions).orElse(0L);
        }
        return total;
    }

    private static long applied(JwtGate gate) {
        return gate.revocation().nearCacheStats().map(NearCacheStats::announcementsApplied).orElse(0L);
    }

    private static Map<RedisCluster.Node, Map<String, Long>> commandStats(RedisCluster cluster) {
        Map<RedisCluster.Node, Map<String, Long>> stats = new LinkedHashMap<>();
        for (RedisCluster.Node node : cluster.nodes()) {
            Map<String, Long> calls = new LinkedHashMap<>();
            try (Jedis jedis = RedisCommandCounter.connect(node.hostAndPort())) {
                Matcher m = CMDSTAT.matcher(jedis.info("commandstats"));
                while (m.find()) {
                    if (!OBSERVER.contains(m.group(1))) {
                        calls.put(m.group(1), Long.parseLong(m.group(2)));
                    }
                }
            }
            stats.put(node, calls);
        }
        return stats;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new LinkedHashMap<>();
        after.forEach((command, calls) -> {
            long d = calls - before.getOrDefault(command, 0L);
            if (d > 0) {
                delta.put(command, d);
            }
        });
        return delta;
    }

    private static String top(Map<String, Long> calls, double seconds) {
        StringBuilder text = new StringBuilder();
        calls.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .forEach(e -> text.append(text.length() == 0 ? "" : " ").append(e.getKey()).append('=')
                        .append(String.format(Locale.ROOT, "%.0f", e.getValue() / seconds)));
        return text.length() == 0 ? "-" : text.toString();
    }

    /** Classic and sharded publish messages sent and received over the cluster bus, summed over the nodes. */
    private static long busPublish(RedisCluster cluster) {
        long total = 0;
        for (RedisCluster.Node node : cluster.nodes()) {
            try (Jedis jedis = RedisCommandCounter.connect(node.hostAndPort())) {
                Matcher m = BUS_STAT.matcher(jedis.clusterInfo());
                while (m.find()) {
                    total += Long.parseLong(m.group(2));
                }
            }
        }
        return total;
    }

    private static double cpuSeconds(RedisCluster.Node node) {
        try (Jedis jedis = RedisCommandCounter.connect(node.hostAndPort())) {
            Matcher m = CPU.matcher(jedis.info("cpu"));
            double total = 0;
            while (m.find()) {
                total += Double.parseDouble(m.group(1));
            }
            return total;
        }
    }

    /** Per collector of this JVM: collections so far and the time they took (ms), as the collector counts it. */
    private static Map<String, long[]> collections() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            counts.put(gc.getName(), new long[] {gc.getCollectionCount(), gc.getCollectionTime()});
        }
        return counts;
    }

    /** "G1 Young Generation 1 in 450 ms, G1 Old Generation 0 in 0 ms": each collector since {@code before}. */
    private static String collectionsSince(Map<String, long[]> before) {
        StringBuilder text = new StringBuilder();
        collections().forEach((name, now) -> {
            long[] then = before.getOrDefault(name, new long[] {0, 0});
            text.append(text.length() == 0 ? "" : ", ").append(name).append(' ').append(now[0] - then[0]).append(" in ")
                    .append(now[1] - then[1]).append(" ms");
        });
        return text.toString();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static void printTable(List<Row> rows, PrintStream out) {
        out.printf(Locale.ROOT, "%6s %9s %9s %14s %12s %10s %10s %27s %27s %8s  %s%n", "N", "to fresh", "fresh %",
                "master cmd/s", "others max", "bus msg/s", "CPU s/s", "revocation -> all N (ms)",
                "-> each instance (ms)", "resubs", "channel master's commands/s");
        for (Row row : rows) {
            out.printf(Locale.ROOT, "%6d %8.1fs %9.3f %14.0f %12.1f %10.1f %10.3f %27s %27s %8d  %s%s%n", row.instances(),
                    row.secondsToAllFresh(), 100 * row.freshFraction(), row.channelMasterCommands(),
                    row.otherNodesCommandsMax(), row.busPublishPerSecond(), row.channelMasterCpu(),
                    triple(row.toAll()), triple(row.perInstance()), row.resubscriptions(), row.channelMasterTop(),
                    row.notReached() > 0 ? "  NOT REACHED: " + row.notReached() : "");
        }
    }

    private static String triple(LatencySummary summary) {
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", summary.p50Nanos() / 1e6, summary.p99Nanos() / 1e6,
                summary.maxNanos() / 1e6);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
