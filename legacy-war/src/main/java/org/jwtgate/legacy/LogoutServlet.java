package org.jwtgate.legacy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationService;

/**
 * {@code POST /logout}: ends the caller's token everywhere, through the {@link RevocationService} the
 * filter publishes in the ServletContext — all a legacy application adds to log a user out. The
 * revocation leaves its audit line (actor: the user, reason: logout) in the container's log.
 */
public class LogoutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JwtPrincipal caller = (JwtPrincipal) request.getUserPrincipal();
        RevocationService revocations = (RevocationService) getServletContext().getAttribute(RevocationService.CONTEXT_ATTRIBUTE);
        RevocationResult result = revocations.by(caller.getName(), "logout").revoke(caller);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("logged out durable=" + result.durable());
    }
}
