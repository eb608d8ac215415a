package org.jwtgate.internal.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.function.Consumer;
import org.jwtgate.principal.JwtPrincipal;

/**
 * Presents a verified {@link JwtPrincipal} through the standard servlet security API, until
 * {@link #logout()}; after it, the container's own caller (none, unless its {@code login()} establishes one).
 * {@code startAsync()} is left as the servlet API defines it (the async cycle starts with the unwrapped request): the
 * filter presents the user again on the async dispatch.
 */
public final class AuthenticatedRequest extends HttpServletRequestWrapper {

    /** The servlet spec's role name meaning "any authenticated user". */
    private static final String ANY_AUTHENTICATED_USER = "**";
    /** Never a role to test: the servlet API says isUserInRole("*") is false, whatever roles a token lists. */
    private static final String NO_ROLE = "*";
    public static final String AUTH_TYPE = "Bearer";
    /** {@link #getAuthType()} of a sender-constrained token (a verified DPoP proof, RFC 9449). */
    public static final String AUTH_TYPE_DPOP = "DPoP";

    private final JwtPrincipal principal;
    private final Consumer<HttpServletRequest> onLogout;
    /** {@link #authenticate} after {@link #logout()}: the container's mechanism, else the front end's 401 challenge. */
    private final Challenge challenge;
    /** Set by logout(): the caller is forgotten for the rest of this request (a token is not a session). */
    private volatile boolean loggedOut;

    /**
     * @param onLogout what else forgets the caller on {@link #logout()} (attributes, thread bindings); given the
     *                 wrapped request
     * @param challenge what {@link #authenticate} answers once the caller is logged out
     */
    public AuthenticatedRequest(HttpServletRequest request, JwtPrincipal principal,
                                Consumer<HttpServletRequest> onLogout, Challenge challenge) {
        super(request);
        this.principal = principal;
        this.onLogout = onLogout;
        this.challenge = challenge;
    }

    // After logout() the container answers: null until its own login() establishes a caller,
    // which the application must then see (hiding it made a successful login() look like no login at all).

    @Override
    public Principal getUserPrincipal() {
        return loggedOut ? super.getUserPrincipal() : principal;
    }

    @Override
    public String getRemoteUser() {
        return loggedOut ? super.getRemoteUser() : principal.getName();
    }

    @Override
    public boolean isUserInRole(String role) {
        if (loggedOut) {
            return super.isUserInRole(role);
        }
        return isInRole(principal, role);
    }

    /**
     * The servlet API's answer for a caller holding {@code principal}: {@code **} is any authenticated caller,
     * {@code *} none; else the token's roles. The filter's {@code paths.roles} rules ask the same.
     */
    public static boolean isInRole(JwtPrincipal principal, String role) {
        return role != null && !NO_ROLE.equals(role) && (ANY_AUTHENTICATED_USER.equals(role) || principal.hasRole(role));
    }

    @Override
    public String getAuthType() {
        return loggedOut ? super.getAuthType() : principal.isSenderConstrained() ? AUTH_TYPE_DPOP : AUTH_TYPE;
    }

    /** Forgets the caller for the rest of this request, as the servlet API says; the token itself stays valid. */
    @Override
    public void logout() throws ServletException {
        loggedOut = true;
        onLogout.accept((HttpServletRequest) getRequest());
        try {
            super.logout(); // the container's own caller, if it had one
        } catch (ServletException e) {
            // Containers without a login mechanism refuse (Jetty: "logout failed"); there was nothing of theirs to forget.
        }
    }

    /**
     * True while the token's caller stands. After {@link #logout()}, as {@link Challenge} answers: true for the
     * container's caller (its {@code login()} since, or its mechanism now); false after the container's mechanism
     * answered (a login-config's challenge), or with the front end's 401 challenge (no body) when it has none.
     */
    @Override
    public boolean authenticate(HttpServletResponse answer) throws IOException, ServletException {
        return !loggedOut || challenge.authenticate((HttpServletRequest) getRequest(), answer);
    }

    /** Refused while the token's caller stands, as the servlet API says of an established caller. */
    @Override
    public void login(String username, String password) throws ServletException {
        if (!loggedOut) {
            throw new ServletException("A caller is already authenticated for this request (by its token)");
        }
        super.login(username, password);
    }
}
