package org.jwtgate.internal.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A front end's answer to {@code request.authenticate()} when it knows of no caller: the container's login mechanism
 * first (a {@code <login-config>}'s, e.g. a Basic challenge), and when the container has none, the front end's own 401
 * challenge, without a body. The Servlet API's {@code true} means a caller is authenticated; the container's own
 * answer without a login-config was {@code true} with nobody (Tomcat) or an exception (Jetty 12).
 */
@FunctionalInterface
public interface Challenge {

    /**
     * Sets the 401 status and the {@code WWW-Authenticate} headers a request without a token gets on a protected
     * path; writes no body (nothing at all once the response is committed).
     */
    void write(HttpServletResponse response);

    /**
     * {@code request.authenticate()}'s answer for {@code container}, the request inside the front end's wrapper:
     * {@code true} when a caller is visible, or the container's mechanism establishes one; {@code false} when that
     * mechanism answered (its challenge); else the challenge and {@code false}. On a committed response, where no
     * challenge can be sent, {@code false} without asking the container.
     */
    default boolean authenticate(HttpServletRequest container, HttpServletResponse response)
            throws IOException, ServletException {
        if (container.getUserPrincipal() != null) {
            return true;
        }
        if (response.isCommitted()) {
            return false; // no challenge can be sent now (Tomcat 11 and Jetty 12 would throw IllegalStateException)
        }
        try {
            if (!container.authenticate(response)) {
                return false; // the container's login-config answered
            }
            if (container.getUserPrincipal() != null) {
                return true;
            }
        } catch (ServletException noMechanism) {
            // Jetty 12 without a login-config: "Authentication failed". The challenge below answers instead. Jetty
            // throws the same when a login-config's authenticator fails, which nothing here can tell apart (documented).
        }
        write(response);
        return false;
    }
}
