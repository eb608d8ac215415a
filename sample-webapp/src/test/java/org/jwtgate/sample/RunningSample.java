package org.jwtgate.sample;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jose4j.json.JsonUtil;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testkit.RedisCluster;
import redis.clients.jedis.Jedis;

/** The real app on a free port against a test's cluster, configured through environment variables only. */
final class RunningSample implements AutoCloseable {

    private final Server server;
    private final SampleClient client;
    private final RedisCluster cluster;

    private RunningSample(Server server, RedisCluster cluster) {
        this.server = server;
        this.cluster = cluster;
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        this.client = new SampleClient(URI.create("http://127.0.0.1:" + port + "/"));
    }

    /** As a user would run it with JWTGATE_REDIS_NODES set, plus {@code environment}. */
    static RunningSample start(RedisCluster cluster, Map<String, String> environment) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("JWTGATE_REDIS_NODES", cluster.nodesSpec());
        Server server = SampleApp.createServer(0, ConfigSources.of(env, Map.of()));
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new RunningSample(server, cluster);
    }

    static RunningSample start(RedisCluster cluster) throws Exception {
        return start(cluster, Map.of());
    }

    SampleClient client() {
        return client;
    }

    Server server() {
        return server;
    }

    /** Forgets every login-failure counter, so one test's failures do not throttle the next. */
    void clearLoginFailures() {
        for (RedisCluster.Node master : cluster.masters()) {
            try (Jedis jedis = master.connect()) {
                for (String key : jedis.keys("sample:login-failures:*")) {
                    jedis.del(key);
                }
            }
        }
    }

    /** The header or the claims of a compact JWS, as JSON (the test trusts what it reads: it only inspects). */
    static Map<String, Object> decode(String jwt, int part) {
        try {
            return JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[part]), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("not a JWS", e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
