package org.jwtgate.internal.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import org.jwtgate.principal.JwtPrincipal;

/** Presents a verified {@link JwtPrincipal} through the standard servlet security API. */
public final class AuthenticatedRequest extends HttpServletRequestWrapper {

    /** The servlet spec's role name meaning "any authenticated user". */
    private static final String ANY_AUTHENTICATED_USER = "**";
    public static final String AUTH_TYPE = "Bearer";
    /** {@link #getAuthType()} of a sender-constrained token (a verified DPoP proof, RFC 9449). */
    public static final String AUTH_TYPE_DPOP = "DPoP";

    private final JwtPrincipal principal;

    public AuthenticatedRequest(HttpServletRequest request, JwtPrincipal principal) {
        super(request);
        this.principal = principal;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public boolean isUserInRole(String role) {
        return role != null && (ANY_AUTHENTICATED_USER.equals(role) || principal.hasRole(role));
    }

    @Override
    public String getAuthType() {
        return principal.isSenderConstrained() ? AUTH_TYPE_DPOP : AUTH_TYPE;
    }
}
