package org.jwtgate.internal.revocation.nearcache;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import redis.clients.jedis.Jedis;
import org.jwtgate.revocation.NearCacheStats;

/** Application instances with the near-cache on a test cluster, and what the near-cache tests measure. */
final class NearCacheApps {

    static final RevocationKeys KEYS = ClusterApps.KEYS;
    /** The announcement channel (and the name whose slot picks its node). */
    static final String CHANNEL = ClusterApps.PREFIX + "events";

    /** The order of the P-256 group: an ECDSA signature (r, s) verifies as (r, n − s) too. */
    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    private static final Pattern COMMAND_CALLS = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)");

    private NearCacheApps() {
    }

    /** An instance on {@code cluster}: the near-cache is on by default. */
    static JettyApp start(RedisCluster cluster, String... extra) throws Exception {
        return ClusterApps.start(cluster, extra);
    }

    /** A user, named {@code name-<uuid>}, whose keys live on another master than {@code node} (the channel's, say). */
    static String userAwayFrom(RedisCluster cluster, RedisCluster.Node node, String name) {
        while (true) {
            String sub = name + "-" + UUID.randomUUID();
            if (!cluster.masterForKey(KEYS.userKey(sub)).equals(node)) {
                return sub;
            }
        }
    }

    static RevocationService service(JettyApp app) {
        return app.filter().revocationService();
    }

    static NearCacheRevocationStore nearCache(JettyApp app) {
        return (NearCacheRevocationStore) service(app).store();
    }

    static JwtPrincipal principal(JettyApp app, String token) {
        return ClusterApps.principal(app, token);
    }

    /** A first request starts the near-cache; then wait until it answers locally. */
    static void awaitFresh(JettyApp app, String anyToken) throws Exception {
        app.getWithToken("/api", anyToken);
        await("the near-cache to be fresh", Duration.ofSeconds(20), () -> nearCache(app).isFresh());
    }

    /**
     * The status of a request whose revocation check the near-cache answered without Redis. On this busy
     * machine the state may lapse for a moment (a check then reads Redis, which is also correct): the
     * request is repeated until one was answered locally.
     */
    static int statusAnsweredLocally(JettyApp app, String token) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            await("the near-cache to be fresh", Duration.ofSeconds(20), () -> nearCache(app).isFresh());
            NearCacheStats before = nearCache(app).stats();
            int status = app.getWithToken("/api", token).statusCode();
            NearCacheStats after = nearCache(app).stats();
            if (after.localChecks() == before.localChecks() + 1 && after.roundTripChecks() == before.roundTripChecks()) {
                return status;
            }
        }
        throw new AssertionError("no check was answered locally in 10 attempts: " + nearCache(app).stats());
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** The same token with its ECDSA signature's s replaced by n − s: another valid string, same claims. */
    static String malleate(String es256Token) {
        int dot = es256Token.lastIndexOf('.');
        byte[] signature = Base64.getUrlDecoder().decode(es256Token.substring(dot + 1));
        if (signature.length != 64) {
            throw new IllegalArgumentException("not an ES256 signature: " + signature.length + " bytes");
        }
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        byte[] twinS = P256_ORDER.subtract(s).toByteArray(); // big-endian, possibly with a sign byte or shorter
        byte[] twin = Arrays.copyOf(signature, 64);
        Arrays.fill(twin, 32, 64, (byte) 0);
        int length = Math.min(32, twinS.length);
        System.arraycopy(twinS, twinS.length - length, twin, 64 - length, length);
        return es256Token.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(twin);
    }

    /** Calls per command ({@code mget}, {@code get}, ...) summed over every responsive node, from INFO commandstats. */
    static Map<String, Long> commandCalls(RedisCluster cluster) {
        return commandCalls(cluster.nodes());
    }

    /** The same, summed over {@code nodes} only. */
    static Map<String, Long> commandCalls(Iterable<RedisCluster.Node> nodes) {
        Map<String, Long> calls = new LinkedHashMap<>();
        for (RedisCluster.Node node : nodes) {
            if (!node.isResponsive()) {
                continue;
            }
            try (Jedis jedis = node.connect()) {
                Matcher m = COMMAND_CALLS.matcher(jedis.info("commandstats"));
                while (m.find()) {
                    calls.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
                }
            }
        }
        return calls;
    }

    static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
        return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
    }

    /** Milliseconds of a sorted sample at a percentile (nearest rank). */
    static double percentile(long[] sortedNanos, double percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }
}
