package org.jwtgate.sample.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Headers every answer carries, refusals included: scripts and styles only from this origin
 * (the page has no inline code), no framing, no MIME sniffing, and the Referer kept to this
 * origin (the CSRF check may fall back on it). Jetty's own refusals, which no filter sees, get the
 * same {@link #HEADERS} from {@link JsonErrorHandler}.
 */
public final class SecurityHeadersFilter implements Filter {

    /** The headers and their values: the one definition, for this filter and for {@link JsonErrorHandler}. */
    static final Map<String, String> HEADERS;

    static {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                + "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "same-origin");
        HEADERS = Collections.unmodifiableMap(headers);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            HEADERS.forEach(http::setHeader);
        }
        chain.doFilter(request, response);
    }
}
