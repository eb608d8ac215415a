package org.jwtgate.internal.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;

/**
 * A front end's answer to {@code request.authenticate()} when it knows of no caller: its own 401 challenge, the one a
 * request without a token gets on a protected path. The Servlet API's {@code true} means a caller is authenticated;
 * the container's own answer there was {@code true} with nobody (Tomcat without a login-config) or an exception
 * (Jetty 12).
 */
@FunctionalInterface
public interface Challenge {

    /** Writes the 401 challenge on {@code response} (nothing once it is committed). */
    void write(HttpServletResponse response) throws IOException;

    /**
     * {@code request.authenticate()}'s answer: {@code true} when {@code caller} (the container's, after its own
     * {@code login()}) stands, else the challenge and {@code false}.
     */
    default boolean authenticate(Principal caller, HttpServletResponse response) throws IOException {
        if (caller != null) {
            return true;
        }
        write(response);
        return false;
    }
}
