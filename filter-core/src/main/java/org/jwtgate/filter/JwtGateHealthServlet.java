package org.jwtgate.filter;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jwtgate.engine.Health;
import org.jwtgate.internal.export.Exporters;
import org.jwtgate.internal.log.AuditLog;
import org.jwtgate.internal.log.Log;

/**
 * A readiness probe over the application's {@link JwtAuthFilter}: {@code GET} answers 200 with
 * {@code {"status":"UP"|"DEGRADED","details":{…}}} while the filter can answer requests correctly, and
 * 503 with {@code "DOWN"} when it cannot (see {@link Health}) or is not running. Map it on a path the
 * filter excludes, and point the orchestrator's readiness probe at it:
 *
 * <pre>{@code
 * <servlet>
 *   <servlet-name>jwtgate-health</servlet-name>
 *   <servlet-class>org.jwtgate.filter.JwtGateHealthServlet</servlet-class>
 *   <!-- optional: which filter, when the application declares several -->
 *   <init-param><param-name>filter-name</param-name><param-value>jwtgate</param-value></init-param>
 * </servlet>
 * <servlet-mapping>
 *   <servlet-name>jwtgate-health</servlet-name>
 *   <url-pattern>/public/health</url-pattern>        <!-- inside paths.exclude -->
 * </servlet-mapping>
 * }</pre>
 *
 * <p>The details are fixed, low-cardinality words (never a token, a user or a secret), so the answer
 * may be public. They do tell a caller which {@code revocation.failure-mode} runs and when the revocation store is
 * down: the init-param {@code details} set to {@code false} answers the status alone (which still differs between the
 * failure modes while the store is down: better reached only from the orchestrator's network).
 *
 * @since 1.0.0
 */
public class JwtGateHealthServlet extends HttpServlet {

    /** The init-param naming the filter to report on; without it, the application's first JwtAuthFilter. */
    public static final String FILTER_NAME_PARAM = "filter-name";
    /**
     * The init-param saying whether the answer carries the details: {@code true} (the default) or {@code false}.
     *
     * @since 1.1.0
     */
    public static final String DETAILS_PARAM = "details";

    private static final long serialVersionUID = 1L;
    private static final String ALLOWED = "GET, HEAD, OPTIONS";

    private static final Log LOG = Log.of(JwtGateHealthServlet.class);

    /** Name of the ServletContext attribute holding the filter reported on; set by {@code init}. */
    private String attribute;
    /** Whether the answer carries the details; set by {@code init}. */
    private boolean details = true;
    /** Whether the "no such filter" line was written: once per servlet, since every probe would repeat it. */
    private final AtomicBoolean toldNoFilter = new AtomicBoolean();

    /** The servlet, as the container creates it; {@link #FILTER_NAME_PARAM} picks the filter at {@code init}. */
    public JwtGateHealthServlet() {
    }

    @Override
    public void init() throws ServletException {
        String filterName = getInitParameter(FILTER_NAME_PARAM);
        attribute = filterName == null || filterName.isBlank() ? JwtAuthFilter.CONTEXT_ATTRIBUTE
                : JwtAuthFilter.CONTEXT_ATTRIBUTE + "." + filterName.strip();
        String shown = getInitParameter(DETAILS_PARAM);
        String value = shown == null ? "true" : shown.strip();
        if (!value.equals("true") && !value.equals("false")) {
            // A typo must not show what the administrator meant to hide: the servlet does not start.
            throw new ServletException("Illegal value for init-param [" + DETAILS_PARAM + "] of servlet ["
                    + getServletName() + "]: [" + shown.replaceAll("\\p{Cntrl}", "?") + "]; expected true or false");
        }
        details = value.equals("true");
    }

    /**
     * GET, HEAD and OPTIONS; any other method 405 with the {@code Allow} header RFC 9110 requires, which HttpServlet's
     * 405 lacks (and PATCH got its 501). TRACE too: HttpServlet's echoes the request's headers, an Authorization
     * header or a token cookie included, and this servlet sits on a public path.
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            super.service(request, response);
            return;
        }
        response.setHeader("Allow", ALLOWED);
        response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    }

    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Allow", ALLOWED); // HttpServlet would offer TRACE
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Health health = current();
        response.setStatus(health.status() == Health.Status.DOWN ? HttpServletResponse.SC_SERVICE_UNAVAILABLE
                : HttpServletResponse.SC_OK);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        byte[] body = json(details ? health : new Health(health.status(), Map.of())).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private Health current() {
        Object filter = getServletContext().getAttribute(attribute);
        if (filter instanceof JwtAuthFilter running) {
            try {
                return running.health();
            } catch (RuntimeException e) {
                // The check itself failed (a pool closing under it, a store of the application's throwing), not the
                // filter's state: DOWN, as a probe expects, not the container's 500.
                if (running.isStarted()) {
                    return Exporters.checkFailed(e);
                }
                // Not started yet, or destroyed (possibly between the attribute's read and now).
            }
        }
        if (filter == null && toldNoFilter.compareAndSet(false, true)) {
            // Filters start before requests are served: no filter now is a filter-name that names none, or none at all.
            LOG.warn("JwtGate health servlet [{}]: no JwtAuthFilter{} has started in this application (started: {}); "
                    + "answering 503 DOWN until one does", getServletName(),
                    attribute.equals(JwtAuthFilter.CONTEXT_ATTRIBUTE) ? "" : " named [" + filterName() + "]", startedFilters());
        }
        return new Health(Health.Status.DOWN, Map.of("filter", "not running"));
    }

    private String filterName() {
        return attribute.substring(JwtAuthFilter.CONTEXT_ATTRIBUTE.length() + 1);
    }

    /** The names of the JwtAuthFilters that have started here, by the attributes they publish. */
    private List<String> startedFilters() {
        String prefix = JwtAuthFilter.CONTEXT_ATTRIBUTE + ".";
        List<String> names = new ArrayList<>();
        for (String name : Collections.list(getServletContext().getAttributeNames())) {
            if (name.startsWith(prefix)) {
                names.add(name.substring(prefix.length()));
            }
        }
        Collections.sort(names);
        return names;
    }

    static String json(Health health) {
        StringBuilder json = new StringBuilder("{\"status\":\"").append(health.status().name()).append("\",\"details\":{");
        boolean first = true;
        for (Map.Entry<String, String> detail : health.details().entrySet()) {
            json.append(first ? "" : ",").append(AuditLog.quoted(detail.getKey())).append(':').append(AuditLog.quoted(detail.getValue()));
            first = false;
        }
        return json.append("}}").toString();
    }
}
