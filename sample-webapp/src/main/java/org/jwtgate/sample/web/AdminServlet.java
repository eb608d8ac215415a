package org.jwtgate.sample.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Base of the {@code /admin/*} endpoints: the filter lets only role {@code admin} through by the sample's
 * {@code paths.roles=/admin/*=admin}, and the servlet asks again. {@code JWTGATE_PATHS_ROLES} replaces that rule
 * whole: a deployment that set it for its own paths and left this one out would otherwise open the administrator's
 * revocation to every signed-in user.
 */
public abstract class AdminServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    /** The role the administrator's endpoints require. */
    public static final String ROLE = "admin";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!request.isUserInRole(ROLE)) {
            // As the filter answers a token without the role (RFC 6750 §3.1).
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", error_description=\"the "
                    + ROLE + " role is required\"");
            error(response, 403, "insufficient_scope", "the " + ROLE + " role is required");
            return;
        }
        super.service(request, response);
    }
}
