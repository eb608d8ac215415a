package org.jwtgate.internal.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Writes every refusal the way RFC 6750 §3 says: status, {@code WWW-Authenticate: Bearer …},
 * a JSON body {@code {"error":…,"error_description":…}} and {@code Cache-Control: no-store}.
 * Descriptions are fixed texts chosen by JwtGate: never token content, claims or key details.
 */
public final class BearerErrorResponder {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_TOKEN = "invalid_token";
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";
    public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";
    public static final String CSRF_REFUSED = "csrf_refused";

    private final String realm;

    /** @param realm already validated: printable ASCII without quotes or backslashes */
    public BearerErrorResponder(String realm) {
        this.realm = realm;
    }

    /** 401 with no error attribute: the request simply carried no token (RFC 6750 §3.1). */
    public void missingToken(HttpServletResponse response) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
        write(response, 401, "unauthorized", "Authentication with a bearer token is required");
    }

    /** 401 {@code invalid_token}: bad, expired or revoked. */
    public void invalidToken(HttpServletResponse response, String description) throws IOException {
        response.setHeader("WWW-Authenticate", challenge(INVALID_TOKEN, description));
        write(response, 401, INVALID_TOKEN, description);
    }

    /** 400 {@code invalid_request}: a malformed header, two tokens, or tokens that disagree. */
    public void invalidRequest(HttpServletResponse response) throws IOException {
        String description = "The request carries a malformed or ambiguous bearer token";
        response.setHeader("WWW-Authenticate", challenge(INVALID_REQUEST, description));
        write(response, 400, INVALID_REQUEST, description);
    }

    /** 403 {@code insufficient_scope}: authenticated, but without any of the roles the path needs. */
    public void insufficientScope(HttpServletResponse response, Set<String> anyOfRoles) throws IOException {
        String description = "The access token lacks a role this resource requires";
        response.setHeader("WWW-Authenticate", challenge(INSUFFICIENT_SCOPE, description)
                + ", scope=\"" + String.join(" ", sanitizedRoles(anyOfRoles)) + "\"");
        write(response, 403, INSUFFICIENT_SCOPE, description);
    }

    /** 403 for a cross-site request authenticated by cookie. */
    public void crossSiteRefused(HttpServletResponse response) throws IOException {
        write(response, 403, CSRF_REFUSED, "Cross-site request refused");
    }

    /** 503 + Retry-After: the token could not be checked (revocation store or key server down). */
    public void unavailable(HttpServletResponse response, int retryAfterSeconds) throws IOException {
        response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
        write(response, 503, TEMPORARILY_UNAVAILABLE, "Authentication is temporarily unavailable; retry later");
    }

    private String challenge(String error, String description) {
        return "Bearer realm=\"" + realm + "\", error=\"" + error + "\", error_description=\"" + description + "\"";
    }

    private static Iterable<String> sanitizedRoles(Set<String> roles) {
        return roles.stream().map(r -> r.replaceAll("[^\\x21\\x23-\\x5b\\x5d-\\x7e]", "")).sorted().toList();
    }

    private static void write(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] body = ("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
