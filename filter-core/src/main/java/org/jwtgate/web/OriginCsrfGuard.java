package org.jwtgate.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** A host name and an optional port, no user part: an authority {@link URI} leaves unparsed (see below). */
    private static final Pattern NAME_AND_PORT = Pattern.compile("([A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");

    /** A guard; it holds no state, so one may serve every request. */
    public OriginCsrfGuard() {
    }

    /**
     * Whether {@code method} may change state: any but GET, HEAD, OPTIONS and TRACE (in any case).
     *
     * @param method the request's method, such as {@code POST}
     * @return {@code true} for a method the guard should check, unknown ones included
     */
    public static boolean isUnsafeMethod(String method) {
        return !SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT));
    }

    /**
     * Whether the request comes from a page of this same origin, by {@code Sec-Fetch-Site}, else {@code Origin},
     * else {@code Referer}.
     *
     * @param request the request, with its headers and its own scheme, host and port as the container reports them
     * @return {@code true} when the request proves it is same-origin (or {@code Sec-Fetch-Site: none}: typed or
     *         bookmarked); {@code false} when it shows another origin or proves nothing
     */
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
            uri = new URI(originPart(url.trim()));
        } catch (Exception e) {
            return false;
        }
        if (uri.getScheme() == null) {
            return false;
        }
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null) {
            // URI takes an authority for a host and port only when the name follows RFC 2396's hostname grammar: one
            // with "_" (my_app, a Docker Compose service) or a last label starting with a digit stays unparsed, and
            // the request's own origin was refused. Such a name, without a user part, is compared as it is.
            Matcher authority = NAME_AND_PORT.matcher(uri.getRawAuthority() == null ? "" : uri.getRawAuthority());
            if (!authority.matches()) {
                return false;
            }
            host = authority.group(1);
            port = authority.group(2) == null ? -1 : Integer.parseInt(authority.group(2));
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (port == -1) {
            port = defaultPort(scheme);
        }
        return scheme.equalsIgnoreCase(request.getScheme())
                && host.equalsIgnoreCase(request.getServerName())
                && port == request.getServerPort();
    }

    /**
     * {@code scheme://authority} of a URL, without its path, query and fragment: only the origin counts, and a Referer's
     * path or query may hold characters {@link URI} refuses (a browser leaves "|", "{", "^" or a lone "%" as typed).
     */
    private static String originPart(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return url;
        }
        int end = start + 3;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(0, end);
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }
}
