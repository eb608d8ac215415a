package org.jwtgate.sample.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answers to a request it refuses before any servlet sees it (a malformed URI: 400; headers past its
 * limits: 431), as JSON {@code {error, error_description}} like every endpoint's: Jetty writes an HTML page. The
 * description is the status's reason phrase, never Jetty's message, which may quote the request. They carry the
 * {@link SecurityHeadersFilter}'s headers too, which that filter never sees them to set.
 */
public final class JsonErrorHandler extends ErrorHandler {

    /** Every method's (Jetty's answers GET, POST and HEAD only: a PUT's 431 had no body). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        SecurityHeadersFilter.HEADERS.forEach(response.getHeaders()::put);
        if (HttpMethod.CONNECT.is(request.getMethod())) {
            // Jetty keeps the connection, whose client may already send the tunnel's bytes: not a request to serve.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return;
        }
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    static byte[] body(int status) {
        String error = status >= 500 ? "server_error" : "invalid_request";
        return ("{\"error\":\"" + error + "\",\"error_description\":\"" + HttpStatus.getMessage(status) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
