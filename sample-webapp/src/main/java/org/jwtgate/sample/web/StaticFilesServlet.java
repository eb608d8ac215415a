package org.jwtgate.sample.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;

/**
 * The page's files ({@code /}, {@code /app.js}, {@code /app.css}): Jetty's DefaultServlet, with a method it does not
 * serve answered as the endpoints answer one ({@link MethodNotAllowedAnswer}), not its 405 without {@code Allow} or
 * HttpServlet's 501. GET, HEAD and OPTIONS reach it unwrapped, so that it keeps its own way of sending a file.
 */
public final class StaticFilesServlet extends DefaultServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> SERVED = Set.of("GET", "HEAD", "OPTIONS");
    /** What DefaultServlet's doOptions names. */
    private static final String ALLOW = "GET, HEAD, OPTIONS";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (SERVED.contains(request.getMethod()) || request.getDispatcherType() != DispatcherType.REQUEST) {
            super.service(request, response);
        } else {
            response.setHeader("Cache-Control", "no-store");
            super.service(request, new MethodNotAllowedAnswer(request, response, () -> ALLOW));
        }
    }
}
