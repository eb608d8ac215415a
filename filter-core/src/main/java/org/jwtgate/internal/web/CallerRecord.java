package org.jwtgate.internal.web;

import jakarta.servlet.ServletRequest;
import java.util.UUID;
import org.jwtgate.principal.JwtPrincipal;

/**
 * What one front end (a filter or an authentication module instance) records on a request about the caller
 * it established: the public attributes the application reads, and its own record, which only it trusts. A
 * later pass of the same request (a dispatch, {@code request.authenticate()}) hands that caller back instead of
 * verifying again (a DPoP proof is one-time); after {@code request.logout()} the record says so, and the token
 * is not read again for that request.
 */
public final class CallerRecord {

    /** Request attribute holding the verified {@link JwtPrincipal} ({@code JwtAuthFilter.PRINCIPAL_ATTRIBUTE}). */
    public static final String PRINCIPAL_ATTRIBUTE = "org.jwtgate.principal";
    /** Request attribute holding the verified claims ({@code JwtAuthFilter.CLAIMS_ATTRIBUTE}). */
    public static final String CLAIMS_ATTRIBUTE = "org.jwtgate.claims";
    /** The own record's value once the application called {@code request.logout()}. */
    private static final Object LOGGED_OUT = new Object();

    /**
     * Named for the front end instance: no other filter, module or application code sets it. A random part, not the
     * identity hash: two filters of one application whose hashes collided would read each other's caller.
     */
    private final String ownAttribute;

    public CallerRecord(Object frontEnd) {
        this.ownAttribute = frontEnd.getClass().getName() + ".principal@" + UUID.randomUUID();
    }

    /** Records {@code principal} as the caller this front end established on {@code request}. */
    public void establish(ServletRequest request, JwtPrincipal principal) {
        request.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
        request.setAttribute(CLAIMS_ATTRIBUTE, principal.claims());
        request.setAttribute(ownAttribute, principal);
    }

    /** {@code request.logout()}: the public attributes go, and the own record says the caller is gone. */
    public void forget(ServletRequest request) {
        request.removeAttribute(PRINCIPAL_ATTRIBUTE);
        request.removeAttribute(CLAIMS_ATTRIBUTE);
        // Not removed: a later pass must not read the token again and bring the caller back.
        request.setAttribute(ownAttribute, LOGGED_OUT);
    }

    /** What this front end recorded on {@code request}: its caller, that the caller logged out, or nothing. */
    public Entry read(ServletRequest request) {
        Object own = request.getAttribute(ownAttribute);
        return own instanceof JwtPrincipal principal ? new Entry(principal, false) : new Entry(null, own == LOGGED_OUT);
    }

    /**
     * @param caller    the caller this front end established on the request, or null
     * @param loggedOut whether the application called {@code request.logout()} after it did
     */
    public record Entry(JwtPrincipal caller, boolean loggedOut) {
    }
}
