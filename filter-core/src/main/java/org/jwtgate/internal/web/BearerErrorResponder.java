package org.jwtgate.internal.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jwtgate.config.DpopSettings;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.internal.token.ResolvedToken.Scheme;

/**
 * Writes every refusal the way RFC 6750 §3 says: status, {@code WWW-Authenticate: Bearer …},
 * a JSON body {@code {"error":…,"error_description":…}} and {@code Cache-Control: no-store}.
 * Descriptions are fixed texts chosen by JwtGate: never token content, claims or key details.
 *
 * <p>With DPoP (RFC 9449 §7.1) the challenges follow {@code dpop.mode}: {@code off} offers
 * {@code Bearer} only (as without DPoP); {@code allowed} offers both schemes, one
 * {@code WWW-Authenticate} header each, the one carrying the error first; {@code required} offers
 * {@code DPoP} only. A DPoP challenge lists the accepted proof algorithms ({@code algs}); a
 * {@code use_dpop_nonce} answer carries a fresh {@code DPoP-Nonce}.
 */
public final class BearerErrorResponder {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_TOKEN = "invalid_token";
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";
    public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";
    public static final String CSRF_REFUSED = "csrf_refused";
    /** The header of a server-issued DPoP nonce (RFC 9449 §8). */
    public static final String DPOP_NONCE_HEADER = "DPoP-Nonce";
    /** A scope token (RFC 6750 §3): {@code 1*NQCHAR}, NQCHAR = %x21 / %x23-5B / %x5D-7E. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5b\\x5d-\\x7e]+");
    /**
     * Headers describing the page's own representation: after a page set them they would describe the refusal. Removed
     * before a refusal is written, here and by the authentication module where it writes past this class (Jetty).
     */
    public static final List<String> PAGE_REPRESENTATION_HEADERS = List.of("Content-Encoding", "Content-Disposition",
            "Content-Range", "Content-Language", "Content-Location", "ETag", "Last-Modified");

    private final String realm;
    /** The schemes offered, in the order of their challenges when none carries an error. */
    private final List<Scheme> offered;
    private final String algs;

    /** @param realm already validated: printable ASCII without quotes or backslashes */
    public BearerErrorResponder(String realm) {
        this(realm, DpopSettings.OFF);
    }

    /** @param dpop {@code dpop.mode} decides the schemes offered; {@code dpop.algorithms} the {@code algs} */
    public BearerErrorResponder(String realm, DpopSettings dpop) {
        this.realm = realm;
        this.offered = switch (dpop.mode()) {
            case OFF -> List.of(Scheme.BEARER);
            case ALLOWED -> List.of(Scheme.BEARER, Scheme.DPOP);
            case REQUIRED -> List.of(Scheme.DPOP);
        };
        this.algs = dpop.challengeAlgorithms();
    }

    /** 401 with no error attribute: the request simply carried no token (RFC 6750 §3.1). */
    public void missingToken(HttpServletResponse response) throws IOException {
        challenge(response, null, null, null, null);
        write(response, 401, "unauthorized", offered.contains(Scheme.BEARER)
                ? "Authentication with a bearer token is required" : "Authentication with a DPoP-bound token is required");
    }

    /**
     * The status and {@code WWW-Authenticate} headers of {@link #missingToken}, no body (nothing once the response is
     * committed): {@code request.authenticate()}'s challenge, which leaves the body to the application (what it wrote
     * before stays; in an include the container ignores status and headers, so nothing changes).
     */
    public void missingTokenChallenge(HttpServletResponse response) {
        if (response.isCommitted()) {
            return;
        }
        challenge(response, null, null, null, null);
        response.setStatus(401);
    }

    /** 401 {@code invalid_token}: bad, expired or revoked, for a token of the first scheme offered. */
    public void invalidToken(HttpServletResponse response, String description) throws IOException {
        invalidToken(response, offered.get(0), description);
    }

    /** 401 {@code invalid_token}: bad, expired or revoked; the error goes on the challenge of the scheme the token came with. */
    public void invalidToken(HttpServletResponse response, Scheme scheme, String description) throws IOException {
        challenge(response, scheme, INVALID_TOKEN, description, null);
        write(response, 401, INVALID_TOKEN, description);
    }

    /** 400 {@code invalid_request}: a malformed header, two tokens, or tokens that disagree. */
    public void invalidRequest(HttpServletResponse response) throws IOException {
        invalidRequest(response, offered.get(0));
    }

    public void invalidRequest(HttpServletResponse response, Scheme scheme) throws IOException {
        String description = "The request carries a malformed or ambiguous bearer token";
        challenge(response, scheme, INVALID_REQUEST, description, null);
        write(response, 400, INVALID_REQUEST, description);
    }

    /**
     * 401 {@code invalid_dpop_proof}, or {@code use_dpop_nonce} with the fresh nonce in {@code DPoP-Nonce}
     * (RFC 9449 §7.1, §9): always on the DPoP challenge.
     */
    public void invalidDpopProof(HttpServletResponse response, DpopRejection rejection, String freshNonce) throws IOException {
        if (freshNonce != null && !response.isCommitted()) {
            response.setHeader(DPOP_NONCE_HEADER, freshNonce);
        }
        challenge(response, Scheme.DPOP, rejection.errorCode(), rejection.publicDescription(), null);
        write(response, 401, rejection.errorCode(), rejection.publicDescription());
    }

    /** 403 {@code insufficient_scope}: authenticated, but without any of the roles the path needs. */
    public void insufficientScope(HttpServletResponse response, Set<String> anyOfRoles) throws IOException {
        insufficientScope(response, offered.get(0), anyOfRoles);
    }

    public void insufficientScope(HttpServletResponse response, Scheme scheme, Set<String> anyOfRoles) throws IOException {
        String description = "The access token lacks a role this resource requires";
        List<String> scope = scopeTokens(anyOfRoles);
        // RFC 6749 §3.3 allows no empty scope: without a role to name, the attribute is left out.
        challenge(response, scheme, INSUFFICIENT_SCOPE, description,
                scope.isEmpty() ? null : "scope=\"" + String.join(" ", scope) + "\"");
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

    /**
     * One {@code WWW-Authenticate} header per scheme offered. The error, if any, goes on {@code errorScheme}'s
     * challenge (on the only one offered when that scheme is not), which then comes first; only 401s
     * offer the other scheme too.
     */
    private void challenge(HttpServletResponse response, Scheme errorScheme, String error, String description,
                           String extra) {
        if (response.isCommitted()) {
            return;
        }
        Scheme withError = errorScheme == null ? null : offered.contains(errorScheme) ? errorScheme : offered.get(0);
        List<String> values = new ArrayList<>();
        if (withError != null) {
            values.add(challenge(withError, error, description, extra));
        }
        boolean others = error == null || INVALID_TOKEN.equals(error) || error.equals(DpopRejection.INVALID_DPOP_PROOF)
                || error.equals(DpopRejection.USE_DPOP_NONCE);
        for (Scheme scheme : offered) {
            if (scheme != withError && others) {
                values.add(challenge(scheme, null, null, null));
            }
        }
        response.setHeader("WWW-Authenticate", values.get(0));
        for (int i = 1; i < values.size(); i++) {
            response.addHeader("WWW-Authenticate", values.get(i));
        }
    }

    private String challenge(Scheme scheme, String error, String description, String extra) {
        StringBuilder value = new StringBuilder(scheme == Scheme.DPOP ? "DPoP" : "Bearer").append(" realm=\"").append(realm).append('"');
        if (error != null) {
            value.append(", error=\"").append(error).append("\", error_description=\"").append(description).append('"');
        }
        if (extra != null) {
            value.append(", ").append(extra);
        }
        if (scheme == Scheme.DPOP) {
            value.append(", algs=\"").append(algs).append('"');
        }
        return value.toString();
    }

    /**
     * The roles that are scope tokens as they are (RFC 6750 §3: NQCHAR only, never empty). A role holding another
     * character (a space, a quote, a non-ASCII letter) is left out: cut down to its NQCHARs it would name another role
     * ("Domain Admins" would be "DomainAdmins"), and the header cannot carry it as it is.
     */
    private static List<String> scopeTokens(Set<String> roles) {
        return roles.stream().filter(r -> SCOPE_TOKEN.matcher(r).matches()).sorted().toList();
    }

    private static void write(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        // What the application buffered before (request.authenticate() after it began its page) would precede the
        // answer, and Content-Length would then cut the answer short. Other headers stay, as sendError leaves them,
        // except those describing the page's body (below).
        response.resetBuffer();
        byte[] body = ("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        for (String header : PAGE_REPRESENTATION_HEADERS) {
            // A response wrapper before this filter (a compression filter) may encode what is written through it.
            boolean wrapperMayEncode = header.equals("Content-Encoding") && response instanceof HttpServletResponseWrapper;
            if (!wrapperMayEncode && response.containsHeader(header)) {
                response.setHeader(header, null); // removes it (Servlet 6; Tomcat 11, Jetty 12)
            }
        }
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        ServletOutputStream out;
        try {
            out = response.getOutputStream();
        } catch (IllegalStateException e) {
            // The application took the writer before dispatching here (an async dispatch keeps it; Tomcat's forward
            // too): the stream is refused, so write through that writer, in its charset (UTF-16: two bytes a
            // character), which the length counted in UTF-8 would cut short. Not reset(): it would drop the headers of
            // the filters before this one (CORS), and a wrapper that tracks its own writer would still refuse.
            response.setContentLength(-1);
            response.getWriter().write(new String(body, StandardCharsets.UTF_8));
            return;
        }
        out.write(body);
    }
}
