package org.jwtgate.legacy.secured;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;

/**
 * What the container says about the caller, through the Servlet API only: the application knows nothing
 * of JWTs. With {@code ?logout}, it first calls {@code request.logout()}, which ends nothing for a bearer
 * token: the next request with the same token is authenticated again; the line then says whether JwtGate's
 * principal attribute is still set. With {@code ?authenticate}, it first calls {@code request.authenticate()}.
 */
public class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response);
    }

    static void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String prefix = "who";
        String suffix = "";
        if (request.getParameter("authenticate") != null) {
            try {
                if (!request.authenticate(response)) {
                    return; // the container has written its challenge
                }
                prefix = "authenticated";
            } catch (jakarta.servlet.ServletException e) {
                prefix = "authenticate-failed(" + e.getMessage() + ")";
            }
        }
        if (request.getParameter("logout") != null) {
            try {
                request.logout();
                prefix = "logged-out";
            } catch (jakarta.servlet.ServletException e) {
                prefix = "logout-failed";
            }
            suffix = " principal-attribute=" + (request.getAttribute("org.jwtgate.principal") != null);
        }
        Principal user = request.getUserPrincipal();
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println(prefix + " user=" + (user == null ? "anonymous" : user.getName())
                + " admin=" + request.isUserInRole("admin")
                + " staff=" + request.isUserInRole("staff")
                + " auth=" + request.getAuthType()
                + " principal=" + (user == null ? "none" : user.getClass().getName())
                + " method=" + request.getMethod()
                + " app=" + request.getContextPath() + suffix);
    }
}
