package org.jwtgate.legacy;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Put into a variant of secured.war by {@link TomcatAuthenticationIT}, on a path no constraint covers: starts its
 * page, then asks the container for the caller with {@code request.authenticate()}, as a page that needs the user
 * only further down does. The start stays in the response buffer, uncommitted, when the container is asked.
 */
public class AuthenticateAfterWritingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("page started");
        if (!request.authenticate(response)) {
            return; // the container has written its challenge
        }
        response.getWriter().println("user=" + request.getUserPrincipal().getName());
    }
}
