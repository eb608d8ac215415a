package org.jwtgate.legacy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;

/**
 * A protected page that knows nothing of JWTs: it uses only the Servlet API's security methods,
 * which JwtAuthFilter answers from the verified token.
 */
public class HelloServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Principal user = request.getUserPrincipal();
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("hello user=" + (user == null ? "anonymous" : user.getName())
                + " admin=" + request.isUserInRole("admin")
                + " auth=" + request.getAuthType()
                + " app=" + getServletContext().getContextPath());
    }
}
