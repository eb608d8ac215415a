package org.jwtgate.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The smallest useful answer ({@code hello\n}): the benchmarks measure what is in front of it. Public,
 * with a public constructor, so a container can load it from a WAR's WEB-INF/classes too
 * ({@link BenchWar}); it needs nothing but the Servlet API.
 */
public final class HelloServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final byte[] BODY = "hello\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.setContentLength(BODY.length);
        response.getOutputStream().write(BODY);
    }
}
