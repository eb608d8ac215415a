package org.jwtgate.sample.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.jose4j.json.JsonUtil;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.sample.account.PasswordHasher;
import org.jwtgate.sample.redis.SampleUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of the JSON endpoints: answers are never cached, malformed requests get a clean 4xx, and
 * an unavailable Redis gets 503 + Retry-After instead of a 500.
 */
public abstract class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    /** Seconds a client should wait after a 503. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final transient UnavailableWarnings unavailableWarnings;

    protected ApiServlet() {
        this(System::nanoTime);
    }

    /** With the clock the 503 WARN's interval is measured by: a test's. */
    ApiServlet(LongSupplier nanoTime) {
        this.unavailableWarnings = new UnavailableWarnings(LOG, nanoTime);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        response.setHeader("Cache-Control", "no-store");
        try {
            super.service(request, new MethodNotAllowedAnswer(request, response, () -> {
                try {
                    return allowedMethods(request, response);
                } catch (ServletException e) {
                    throw new IOException(e);
                }
            }));
        } catch (BadRequestException e) {
            LOG.debug("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            error(response, e.status(), e.status() == 400 ? "invalid_request" : "unsupported_request", e.getMessage());
        } catch (SampleUnavailableException | RevocationUnavailableException | PasswordHasher.BusyException e) {
            unavailableWarnings.warn(request.getMethod(), request.getRequestURI(), e.getMessage());
            unavailable(response);
        }
    }

    /** 405: HttpServlet's TRACE would echo the request's headers, bearer token and cookies included. */
    @Override
    protected void doTrace(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        response.setHeader("Allow", allowedMethods(request, response));
        error(response, 405, "unsupported_request", "TRACE is not served");
    }

    /** HttpServlet's answer less TRACE, which it offers whatever the servlet serves. */
    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        response.setHeader("Allow", allowedMethods(request, response));
    }

    private String allowedMethods(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        AllowHeader allow = new AllowHeader(response);
        super.doOptions(request, allow);
        return Arrays.stream(allow.value.split(","))
                .map(String::strip)
                .filter(method -> !method.isEmpty() && !method.equals("TRACE"))
                .collect(Collectors.joining(", "));
    }

    /** Keeps the Allow header HttpServlet.doOptions computes instead of sending it. */
    private static final class AllowHeader extends HttpServletResponseWrapper {
        private String value = "";

        AllowHeader(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setHeader(String name, String headerValue) {
            if ("Allow".equalsIgnoreCase(name)) {
                value = headerValue;
            } else {
                super.setHeader(name, headerValue);
            }
        }
    }

    protected static void unavailable(HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        error(response, 503, "temporarily_unavailable", "Please retry later");
    }

    protected static void error(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        if (status == 401 && !response.isCommitted() && !response.containsHeader("WWW-Authenticate")) {
            // A 401 names how to authenticate (RFC 9110 §15.5.2): the API takes bearer tokens, which /login issues.
            response.setHeader("WWW-Authenticate", "Bearer realm=\"jwtgate\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        json(response, status, body);
    }

    protected static void json(HttpServletResponse response, int status, Map<String, ?> body) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JsonUtil.toJson(body));
    }
}
