package org.jwtgate.legacy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Put into a variant of secured.war ({@link SecuredApps#ASYNC}) by its web.xml, on a path no constraint covers:
 * hands the request to {@code /public/page} through an async dispatch, which Tomcat runs through its
 * authenticator again, as an application that waits for a backend does.
 */
public class AsyncDispatchServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        request.startAsync().dispatch("/public/page");
    }
}
