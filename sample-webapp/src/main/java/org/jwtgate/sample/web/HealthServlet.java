package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.sample.redis.RedisHealth;

/**
 * {@code GET /health} (public): 200 with {@code status} UP or DEGRADED while logins, refreshes
 * and revocations work; 503 with DOWN when they cannot (see {@link RedisHealth}).
 */
@Singleton
public class HealthServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final RedisHealth redis;
    private final Provider<RevocationService> revocation;

    @Inject
    public HealthServlet(RedisHealth redis, Provider<RevocationService> revocation) {
        this.redis = redis;
        this.revocation = revocation;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        RedisHealth.Report report = redis.check();
        boolean revocationUp = revocation.get().isHealthy();
        RedisHealth.Status status = revocationUp ? report.status() : RedisHealth.Status.DOWN;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.name());
        body.put("app", "UP");
        body.put("revocation_store", revocationUp ? "UP" : "DOWN");
        body.put("redis", report.details());
        json(response, status == RedisHealth.Status.DOWN ? 503 : 200, body);
    }
}
