package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jwtgate.sample.operations.SampleHealth;

/**
 * {@code GET /health} (public): 200 with {@code status} UP or DEGRADED while the app does its job,
 * 503 with DOWN when it cannot (see {@link SampleHealth}); the body adds JwtGate's details and the
 * Redis counts, never an address.
 */
@Singleton
public class HealthServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final SampleHealth health;

    @Inject
    public HealthServlet(SampleHealth health) {
        this.health = health;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        SampleHealth.Report report = health.check();
        json(response, report.httpStatus(), report.toJson());
    }
}
