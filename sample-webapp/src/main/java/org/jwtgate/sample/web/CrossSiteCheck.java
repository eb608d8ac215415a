package org.jwtgate.sample.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jwtgate.config.CsrfMode;
import org.jwtgate.web.OriginCsrfGuard;

/**
 * The filter's origin check ({@link OriginCsrfGuard}: Sec-Fetch-Site, else Origin, else Referer)
 * for the public endpoints, honouring {@code csrf.mode}.
 */
final class CrossSiteCheck {

    private final OriginCsrfGuard guard;

    CrossSiteCheck(CsrfMode mode) {
        this.guard = mode == CsrfMode.ORIGIN ? new OriginCsrfGuard() : null;
    }

    /**
     * For a request authenticated by a cookie (the refresh cookie), as strict as the filter: it
     * must prove it comes from this origin.
     */
    boolean isNotProvenSameOrigin(HttpServletRequest request) {
        return guard != null && !guard.isSameOrigin(request);
    }

    /**
     * For {@code /login}, which no cookie authenticates: refused when the request shows it comes
     * from another site. Browsers always send Sec-Fetch-Site or Origin with a cross-site POST, so a
     * request with none of the three headers is not a browser's forged one (curl, scripts, apps).
     */
    boolean isEvidentlyCrossSite(HttpServletRequest request) {
        boolean showsOrigin = request.getHeader("Sec-Fetch-Site") != null || request.getHeader("Origin") != null
                || request.getHeader("Referer") != null;
        return guard != null && showsOrigin && !guard.isSameOrigin(request);
    }
}
