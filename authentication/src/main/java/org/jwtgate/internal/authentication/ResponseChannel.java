package org.jwtgate.internal.authentication;

import jakarta.security.auth.message.MessageInfo;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Where the module writes a refusal, and how it is finished. On a container that follows the
 * Servlet Container Profile (Tomcat) the refusal goes straight into the servlet response the
 * {@link MessageInfo} holds. Jetty 12 runs authentication before its servlet layer is entered: a
 * module may set the servlet response's status and headers there, but a body written through it is
 * never completed and breaks the connection's next request (jetty/jetty.project#14978, #15129); there
 * the refusal is recorded and sent through Jetty's own response ({@link JettyCoreChannel}).
 *
 * <pre>{@code
 * ResponseChannel channel = ResponseChannel.of(messageInfo);
 * if (channel != null) {
 *     responder.missingToken(channel.response());
 *     channel.complete();
 * }
 * }</pre>
 */
public abstract class ResponseChannel {

    ResponseChannel() {
    }

    /**
     * The channel for this message, or {@code null} when the container handed the module no servlet
     * response to answer on (Jetty's deferred authentication of an unprotected resource).
     */
    public static ResponseChannel of(MessageInfo messageInfo) {
        if (!(messageInfo.getResponseMessage() instanceof HttpServletResponse response)) {
            return null;
        }
        JettyCoreChannel jetty = JettyCoreChannel.of(messageInfo, response);
        return jetty != null ? jetty : new ServletChannel(response);
    }

    /** The response the refusal is written to. */
    public abstract HttpServletResponse response();

    /** Sends what was written, where the container needs that done by the module. */
    public abstract void complete() throws IOException;

    /** The Servlet Container Profile: the module writes into the container's servlet response. */
    static final class ServletChannel extends ResponseChannel {

        private final HttpServletResponse response;

        ServletChannel(HttpServletResponse response) {
            this.response = response;
        }

        @Override
        public HttpServletResponse response() {
            return response;
        }

        @Override
        public void complete() {
            // the container sends the response once validateRequest returns
        }
    }
}
