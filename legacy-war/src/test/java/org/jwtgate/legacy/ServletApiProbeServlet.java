package org.jwtgate.legacy;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A probe (DispatchesAndRoleRefsInContainersIT): {@code /opt/authenticate} and {@code /api/authenticate} call
 * {@code request.authenticate(response)} ({@code /api/logout-authenticate} after {@code request.logout()}) and say
 * what it answered and who they see; {@code /opt/page} includes {@code /opt/authenticate} in a page; {@code /api/body} reads the request's body; {@code /api/send-error-401} is the
 * application's own {@code sendError(401)}, {@code /api/error-page} its error page for 401 and 403, which says who it sees.
 */
public class ServletApiProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static String seen(HttpServletRequest request) {
        return "user=" + (request.getUserPrincipal() == null ? null : request.getUserPrincipal().getName())
                + " remote=" + request.getRemoteUser() + " auth=" + request.getAuthType();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        // An include keeps the including request's paths; the included one is in this attribute.
        Object included = request.getAttribute("jakarta.servlet.include.servlet_path");
        String path = included != null ? (String) included : request.getServletPath();
        if (path.equals("/opt/page")) {
            response.setContentType("text/html;charset=UTF-8");
            response.getWriter().print("<p>header</p>");
            request.getRequestDispatcher("/opt/authenticate").include(request, response);
            response.getWriter().print("<p>footer</p>");
            return;
        }
        if (path.equals("/api/body")) {
            int length = request.getInputStream().readAllBytes().length;
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("read " + length + " " + seen(request));
            return;
        }
        if (path.equals("/api/error-page")) {
            response.setContentType("text/html;charset=UTF-8");
            response.getWriter().print("<html>error-page " + request.getAttribute("jakarta.servlet.error.status_code") + " "
                    + seen(request) + "</html>");
            return;
        }
        if (path.equals("/api/send-error-401")) {
            response.sendError(401);
            return;
        }
        if (path.equals("/api/logout-authenticate")) {
            request.logout();
        }
        // A ServletException (Jetty's "Authentication failed" before the fix) fails the request with a 500.
        boolean authenticated = request.authenticate(response);
        if (authenticated) {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("authenticate=true " + seen(request));
        }
    }
}
