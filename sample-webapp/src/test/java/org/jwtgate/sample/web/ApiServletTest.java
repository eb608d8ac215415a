package org.jwtgate.sample.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jwtgate.sample.redis.SampleUnavailableException;
import org.jwtgate.testkit.logs.CapturedLog;
import org.junit.jupiter.api.Test;

/** An endpoint's 503s, on a real Jetty: answered each, logged at most once per interval. */
class ApiServletTest {

    /** An endpoint whose Redis is down, measuring the WARN's interval by {@link #clock}. */
    private static final class RedisDownServlet extends ApiServlet {
        private static final long serialVersionUID = 1L;

        RedisDownServlet(AtomicLong clock) {
            super(clock::get);
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) {
            throw new SampleUnavailableException("Redis unavailable while reading the account: JedisConnectionException",
                    null);
        }
    }

    @Test
    void whenEveryRequestIsAnswered503ThenOneWarnLineStandsForThoseOfItsInterval() throws Exception {
        AtomicLong clock = new AtomicLong();
        Server server = new Server(0);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new RedisDownServlet(clock)), "/login");
        server.setHandler(context);
        server.start();
        HttpClient client = HttpClient.newHttpClient();
        URI login = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/login");
        CapturedLog log = CapturedLog.standardError();
        try (log) {
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(login)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, answer.statusCode(), answer.body());
                assertTrue(answer.headers().firstValue("Retry-After").isPresent());
            }
            clock.addAndGet(UnavailableWarnings.INTERVAL.toNanos());
            client.send(HttpRequest.newBuilder(login).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            server.stop();
        }
        List<String> warnings = log.lines().stream()
                .filter(line -> line.contains("Answering 503")).toList();
        assertEquals(2, warnings.size(), "one line per interval, not one per request: " + warnings.size() + " lines");
        assertTrue(warnings.get(0).contains("WARN") && warnings.get(0).endsWith(
                "Answering 503 to POST /login: Redis unavailable while reading the account: JedisConnectionException"),
                warnings.get(0));
        assertTrue(warnings.get(1).endsWith("(and to 49 more requests since the last such line)"), warnings.get(1));
    }
}
