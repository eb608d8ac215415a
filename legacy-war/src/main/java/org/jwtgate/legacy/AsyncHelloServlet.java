package org.jwtgate.legacy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /async}: hands the request to {@code /hello} through an async dispatch, as an application that
 * waits for a backend would. The user must still be there; the filter and this servlet are async-supported.
 */
public class AsyncHelloServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        request.startAsync().dispatch("/hello");
    }
}
