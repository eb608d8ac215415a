package org.jwtgate.legacy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.RevocationUnconfirmedException;

/**
 * {@code POST /logout}: ends the caller's token everywhere, through the {@link RevocationService} the
 * filter publishes in the ServletContext — all a legacy application adds to log a user out. The
 * revocation leaves its audit line (actor: the user, reason: logout) in the container's log. When Redis
 * cannot take the revocation (down, failing over, slow), the answer is 503 + Retry-After, not a 500: the
 * client retries, and revoking a token again is harmless. When Redis stored the revocation but refused the
 * {@code WAIT} that confirms it (the ACL of {@code redis.user} lacks {@code +wait}), the token is revoked and
 * no retry would confirm it: {@code logged out durable=false}, with a WARN saying to allow {@code WAIT}. With
 * {@code revocation.store=none}, which revokes nothing, the answer is 501: no retry helps.
 */
public class LogoutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(LogoutServlet.class.getName());

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JwtPrincipal caller = (JwtPrincipal) request.getUserPrincipal();
        RevocationService revocations = (RevocationService) getServletContext().getAttribute(RevocationService.CONTEXT_ATTRIBUTE);
        RevocationResult result;
        try {
            result = revocations.by(caller.getName(), "logout").revoke(caller);
        } catch (RevocationUnconfirmedException e) {
            // Stored and in force, and no retry confirms it until the ACL allows WAIT: logged out, not durably.
            LOG.log(System.Logger.Level.WARNING, "Logout in force but not durable: {0}; allow WAIT (+wait) to redis.user",
                    e.getMessage());
            result = new RevocationResult(false, 0, e.replicasRequired());
        } catch (RevocationUnavailableException e) {
            response.setHeader("Retry-After", "1");
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "logout not recorded: please retry");
            return;
        } catch (UnsupportedOperationException e) {
            response.sendError(HttpServletResponse.SC_NOT_IMPLEMENTED, "logout needs a revocation store (revocation.store=none)");
            return;
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("logged out durable=" + result.durable());
    }
}
