package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.engine.Health;
import org.jwtgate.testing.CapturedOutput;
import org.jwtgate.testkit.logs.CapturedLog;

class JwtGateHealthServletTest {

    private final ServletContext context = mock(ServletContext.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final CapturedOutput body = new CapturedOutput();

    private void get(String filterName) throws Exception {
        ServletConfig config = mock(ServletConfig.class);
        when(config.getServletContext()).thenReturn(context);
        when(config.getInitParameter(JwtGateHealthServlet.FILTER_NAME_PARAM)).thenReturn(filterName);
        when(response.getOutputStream()).thenReturn(body);
        JwtGateHealthServlet servlet = new JwtGateHealthServlet();
        servlet.init(config);
        servlet.doGet(mock(HttpServletRequest.class), response);
    }

    private static JwtAuthFilter filterSaying(Health health) {
        JwtAuthFilter filter = mock(JwtAuthFilter.class);
        when(filter.isStarted()).thenReturn(true);
        when(filter.health()).thenReturn(health);
        return filter;
    }

    @Test
    void whenUpThen200WithStatusAndDetailsInOrder() throws Exception {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("keys", "secret");
        details.put("near-cache", "fresh (heartbeat 12 ms ago)");
        JwtAuthFilter filter = filterSaying(new Health(Health.Status.UP, details));
        when(context.getAttribute(JwtAuthFilter.CONTEXT_ATTRIBUTE)).thenReturn(filter);
        get(null);
        verify(response).setStatus(200);
        verify(response).setHeader("Cache-Control", "no-store");
        assertEquals("{\"status\":\"UP\",\"details\":{\"keys\":\"secret\",\"near-cache\":\"fresh (heartbeat 12 ms ago)\"}}",
                body.text());
    }

    /**
     * The details tell a caller when the store is down and that failure-mode=open then lets revoked tokens pass: a
     * servlet on a path the internet reaches can answer the status alone.
     */
    @Test
    void whenDetailsAreFalseThenTheAnswerIsTheStatusAlone() throws Exception {
        JwtAuthFilter filter = filterSaying(new Health(Health.Status.DEGRADED,
                Map.of("revocation-store", "redis-cluster down", "failure-mode", "open")));
        when(context.getAttribute(JwtAuthFilter.CONTEXT_ATTRIBUTE)).thenReturn(filter);
        ServletConfig config = mock(ServletConfig.class);
        when(config.getServletContext()).thenReturn(context);
        when(config.getInitParameter(JwtGateHealthServlet.DETAILS_PARAM)).thenReturn("false");
        when(response.getOutputStream()).thenReturn(body);
        JwtGateHealthServlet servlet = new JwtGateHealthServlet();
        servlet.init(config);
        servlet.doGet(mock(HttpServletRequest.class), response);
        verify(response).setStatus(200);
        assertEquals("{\"status\":\"DEGRADED\",\"details\":{}}", body.text());
    }

    /** A typo must not show what the administrator meant to hide: the servlet does not start, naming the value. */
    @Test
    void whenDetailsHoldAnotherValueThenTheServletDoesNotStart() {
        ServletConfig config = mock(ServletConfig.class);
        when(config.getServletContext()).thenReturn(context);
        when(config.getServletName()).thenReturn("jwtgate-health");
        when(config.getInitParameter(JwtGateHealthServlet.DETAILS_PARAM)).thenReturn("no");
        jakarta.servlet.ServletException refused = org.junit.jupiter.api.Assertions.assertThrows(
                jakarta.servlet.ServletException.class, () -> new JwtGateHealthServlet().init(config));
        assertEquals("Illegal value for init-param [details] of servlet [jwtgate-health]: [no]; expected true or false",
                refused.getMessage());
    }

    @Test
    void whenTracedThen405AndNothingEchoed() throws Exception {
        // HttpServlet's TRACE echoes every header, the bearer token included; the probe's path is public.
        HttpServletRequest trace = mock(HttpServletRequest.class);
        when(trace.getMethod()).thenReturn("TRACE");
        when(trace.getHeaderNames()).thenReturn(java.util.Collections.enumeration(java.util.List.of("Authorization")));
        when(trace.getHeaders("Authorization")).thenReturn(java.util.Collections.enumeration(java.util.List.of("Bearer t0ken")));
        when(trace.getHeader("Authorization")).thenReturn("Bearer t0ken");
        when(trace.getRequestURI()).thenReturn("/public/health");
        when(trace.getProtocol()).thenReturn("HTTP/1.1");
        when(response.getOutputStream()).thenReturn(body);
        new JwtGateHealthServlet().service(trace, response);
        verify(response).sendError(405);
        verify(response).setHeader("Allow", "GET, HEAD, OPTIONS");
        assertEquals("", body.text());
    }

    /** RFC 9110 §15.5.6: a 405 must say what the resource serves; HttpServlet's has no Allow header (PATCH: 501). */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
    void whenAnotherMethodThen405WithTheAllowHeader(String method) throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn(method);
        when(request.getProtocol()).thenReturn("HTTP/1.1");
        when(response.getOutputStream()).thenReturn(body);
        new JwtGateHealthServlet().service(request, response);
        verify(response).setHeader("Allow", "GET, HEAD, OPTIONS");
        verify(response).sendError(405);
    }

    @Test
    void whenDegradedThen200() throws Exception {
        JwtAuthFilter filter = filterSaying(new Health(Health.Status.DEGRADED, Map.of()));
        when(context.getAttribute(JwtAuthFilter.CONTEXT_ATTRIBUTE)).thenReturn(filter);
        get(null);
        verify(response).setStatus(200);
    }

    @Test
    void whenDownThen503() throws Exception {
        JwtAuthFilter filter = filterSaying(new Health(Health.Status.DOWN, Map.of("revocation-store", "redis-cluster down")));
        when(context.getAttribute(JwtAuthFilter.CONTEXT_ATTRIBUTE + ".api")).thenReturn(filter);
        get("api");
        verify(response).setStatus(503);
        assertEquals("{\"status\":\"DOWN\",\"details\":{\"revocation-store\":\"redis-cluster down\"}}",
                body.text());
    }

    @Test
    void whenTheHealthCheckThrowsThen503DownNamingTheFailureNot500() throws Exception {
        // A store given to the builder whose isHealthy() throws: the probe got the container's 500 page.
        JwtAuthFilter filter = mock(JwtAuthFilter.class);
        when(filter.health()).thenThrow(new java.io.UncheckedIOException(new java.io.IOException("store gone")));
        when(filter.isStarted()).thenReturn(true);
        when(context.getAttribute(JwtAuthFilter.CONTEXT_ATTRIBUTE)).thenReturn(filter);
        get(null);
        verify(response).setStatus(503);
        assertEquals("{\"status\":\"DOWN\",\"details\":{\"health-check\":\"UncheckedIOException\"}}", body.text());
    }

    @Test
    void whenNoFilterRunsThen503Down() throws Exception {
        when(context.getAttributeNames()).thenReturn(java.util.Collections.emptyEnumeration());
        get(null);
        verify(response).setStatus(503);
        assertEquals("{\"status\":\"DOWN\",\"details\":{\"filter\":\"not running\"}}", body.text());
    }

    @Test
    void whenTheFilterNameNamesNoStartedFilterThenOneWarningNamesItAndTheStartedOnes() throws Exception {
        // A typo in filter-name: the probe answers DOWN forever while the filter runs; the log must say why.
        ServletConfig config = mock(ServletConfig.class);
        when(config.getServletContext()).thenReturn(context);
        when(config.getServletName()).thenReturn("jwtgate-health");
        when(config.getInitParameter(JwtGateHealthServlet.FILTER_NAME_PARAM)).thenReturn("jwtgat");
        when(context.getAttributeNames()).thenAnswer(call -> java.util.Collections.enumeration(java.util.List.of(
                JwtAuthFilter.CONTEXT_ATTRIBUTE, JwtAuthFilter.CONTEXT_ATTRIBUTE + ".jwtgate", "jakarta.servlet.context.tempdir")));
        when(response.getOutputStream()).thenReturn(body);
        CapturedLog log = CapturedLog.during(() -> {
            JwtGateHealthServlet servlet = new JwtGateHealthServlet();
            servlet.init(config);
            servlet.doGet(mock(HttpServletRequest.class), response);
            servlet.doGet(mock(HttpServletRequest.class), response);
        });
        java.util.List<String> lines = log.lines().stream().filter(line -> line.contains("JwtGate health servlet"))
                .toList();
        assertEquals(1, lines.size(), "one line for two probes: " + lines);
        assertTrue(lines.get(0).contains("WARN") && lines.get(0).endsWith("JwtGate health servlet [jwtgate-health]: no "
                + "JwtAuthFilter named [jwtgat] has started in this application (started: [jwtgate]); answering 503 DOWN "
                + "until one does"), lines.get(0));
    }

    @Test
    void whenADetailHoldsQuotesThenTheJsonStaysValid() {
        assertEquals("{\"status\":\"UP\",\"details\":{\"a\\\"b\":\"c\\\\d\\u000a\"}}",
                JwtGateHealthServlet.json(new Health(Health.Status.UP, Map.of("a\"b", "c\\d\n"))));
    }
}
