package org.jwtgate.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses cross-site unsafe requests (OWASP: Fetch Metadata, then Origin, then Referer).
 * A request proves it is same-origin by {@code Sec-Fetch-Site: same-origin}, or {@code none} (the user typed the
 * address or chose a bookmark: no other site is involved); without that header, by an {@code Origin} (else
 * {@code Referer}) equal to the request's own scheme, host and port.
 * A request that proves nothing is refused.
 *
 * <pre>{@code
 * OriginCsrfGuard guard = new OriginCsrfGuard();
 * if (OriginCsrfGuard.isUnsafeMethod(request.getMethod()) && !guard.isSameOrigin(request)) {
 *     response.sendError(403);   // e.g. on a login form no cookie authenticates
 * }
 * }</pre>
 *
 * @since 1.0.0
 */
public final class OriginCsrfGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    public static boolean isUnsafeMethod(String method) {
        return !SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT));
    }

    /** Whether the request comes from a page of this same origin. */
    public boolean isSameOrigin(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null) {
            // "none" is a user typing a URL or using a bookmark: no other site is involved.
            return fetchSite.equalsIgnoreCase("same-origin") || fetchSite.equalsIgnoreCase("none");
        }
        String origin = request.getHeader("Origin");
        if (origin != null) {
            return !origin.equals("null") && matchesOwnOrigin(origin, request);
        }
        String referer = request.getHeader("Referer");
        return referer != null && matchesOwnOrigin(referer, request);
    }

    private static boolean matchesOwnOrigin(String url, HttpServletRequest request) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (Exception e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
        return scheme.equalsIgnoreCase(request.getScheme())
                && uri.getHost().equalsIgnoreCase(request.getServerName())
                && port == request.getServerPort();
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }
}
