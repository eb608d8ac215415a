package org.jwtgate.sample.operations;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jwtgate.engine.Health;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.sample.redis.RedisHealth;
import org.jwtgate.sample.redis.RedisTopology;

/**
 * The sample's health: the worse of JwtGate's own verdict ({@link JwtAuthFilter#health()}: keys, the
 * revocation store, the near-cache, durability) and the sample's Redis ({@link RedisHealth}), since
 * logins and refreshes need Redis even when JwtGate could still verify tokens without it.
 */
@Singleton
public class SampleHealth {

    private final JwtAuthFilter filter;
    /** The public probe's look at Redis, at most one a second (the operations view looks for itself). */
    private final SharedProbe<RedisTopology.Snapshot> redis;

    @Inject
    public SampleHealth(JwtAuthFilter filter, RedisTopology topology) {
        this.filter = filter;
        this.redis = new SharedProbe<>(topology::look, System::nanoTime);
    }

    /**
     * A verdict and what it rests on.
     *
     * @param status the worse of the two
     * @param gate   JwtGate's health
     * @param redis  the sample's Redis
     */
    public record Report(Health.Status status, Health gate, RedisHealth.Report redis) {

        /** HTTP status for a probe: 503 only when DOWN, so a DEGRADED instance keeps its traffic. */
        public int httpStatus() {
            return status == Health.Status.DOWN ? 503 : 200;
        }

        /** {@code {status, jwtgate: {status, details}, redis: {…counts}}}: no addresses, no secrets. */
        public Map<String, Object> toJson() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", status.name());
            body.put("jwtgate", gateJson(gate));
            body.put("redis", redis.details());
            return body;
        }
    }

    /** For {@code GET /health}: Redis as seen within the last second. */
    public Report check() {
        return check(redis.get());
    }

    /** The verdict with a probe of Redis already made (the operations view shares one). */
    public Report check(RedisTopology.Snapshot redis) {
        return combine(filter.health(), RedisHealth.assess(redis));
    }

    static Report combine(Health gate, RedisHealth.Report redis) {
        Health.Status worse = gate.status().compareTo(redis.status()) >= 0 ? gate.status() : redis.status();
        return new Report(worse, gate, redis);
    }

    static Map<String, Object> gateJson(Health gate) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", gate.status().name());
        json.put("details", gate.details());
        return json;
    }
}
