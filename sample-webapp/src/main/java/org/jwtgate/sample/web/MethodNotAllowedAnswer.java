package org.jwtgate.sample.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * A method a servlet does not serve, answered as every other error here: 405, {@code Allow} naming the methods it
 * serves (RFC 9110 §15.5.6 requires it), the JSON body. HttpServlet answers such a method with {@code sendError(405)}
 * (no {@code Allow}: the container's page), and a method Servlet 6.0 does not know (PATCH, an extension method,
 * CONNECT) with {@code sendError(501)}, a 5xx for a client's mistake.
 */
final class MethodNotAllowedAnswer extends HttpServletResponseWrapper {

    /** The value of {@code Allow}, computed only when a method is refused. */
    @FunctionalInterface
    interface AllowedMethods {
        String get() throws IOException;
    }

    private final HttpServletRequest request;
    private final AllowedMethods allowed;

    MethodNotAllowedAnswer(HttpServletRequest request, HttpServletResponse response, AllowedMethods allowed) {
        super(response);
        this.request = request;
        this.allowed = allowed;
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        if (status != HttpServletResponse.SC_METHOD_NOT_ALLOWED && status != HttpServletResponse.SC_NOT_IMPLEMENTED) {
            super.sendError(status, message);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) getResponse();
        response.setHeader("Allow", allowed.get());
        if ("CONNECT".equals(request.getMethod())) {
            // Jetty keeps the connection after answering a CONNECT, whose client may already send a tunnel's bytes.
            response.setHeader("Connection", "close");
        }
        ApiServlet.error(response, 405, "unsupported_request", request.getMethod() + " is not served here");
    }

    @Override
    public void sendError(int status) throws IOException {
        sendError(status, null);
    }
}
