package org.jwtgate.internal.authentication;

import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.web.BearerErrorResponder;
import org.jwtgate.internal.web.DiscardingResponse;

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

    private static final Log LOG = Log.of(ResponseChannel.class);

    ResponseChannel() {
    }

    /**
     * The channel for this message, or {@code null} when the container handed the module no servlet
     * response to answer on (Jetty's deferred authentication of an unprotected resource).
     */
    public static ResponseChannel of(MessageInfo messageInfo) {
        HttpServletResponse response = messageInfo.getResponseMessage() instanceof HttpServletResponse r ? r : null;
        // Jetty's request.authenticate() on an unprotected resource hands no servlet response either, but its own
        // response and callback, which must be completed: Jetty blocks the thread on that callback until it is.
        JettyCoreChannel jetty = JettyCoreChannel.of(messageInfo,
                response != null ? response : DiscardingResponse.INSTANCE);
        if (jetty != null) {
            return jetty;
        }
        return response == null ? null : new ServletChannel(response);
    }

    /** The response the refusal is written to. */
    public abstract HttpServletResponse response();

    /** Sends what was written, where the container needs that done by the module. */
    public abstract void complete() throws IOException;

    /**
     * Whether the response was already committed (a page that flushed its start, then called
     * {@code request.authenticate()}): no refusal can be its answer any more, and none may be appended to the page.
     */
    public boolean committed() {
        return response().isCommitted();
    }

    /** What a refusal writes into the response. */
    @FunctionalInterface
    public interface Refusal {
        void writeTo(HttpServletResponse response) throws IOException;
    }

    /**
     * Writes {@code refusal} on the message's channel and sends it, then answers {@code status}; a failed write (the
     * client left) is only logged. Where the container handed no response to answer on (Jetty's deferred
     * authentication) nothing is written: the caller stays anonymous.
     */
    public static AuthStatus refuse(MessageInfo messageInfo, AuthStatus status, Refusal refusal) {
        ResponseChannel channel = messageInfo == null ? null : of(messageInfo);
        return channel == null ? status : channel.send(status, refusal);
    }

    /** Writes {@code refusal} on this channel and sends it, then answers {@code status}; a failed write is only logged. */
    public AuthStatus send(AuthStatus status, Refusal refusal) {
        try {
            refusal.writeTo(response());
            complete();
        } catch (IOException e) {
            LOG.debug("Refusal not sent: {}", e.toString());
        }
        return status;
    }

    /** The 503 of a module not started, by the default settings (there are none to read). */
    public static final Refusal NOT_STARTED = response -> new BearerErrorResponder(
            ConfigKeys.defaultValue(ConfigKeys.REALM)).unavailable(response,
            Integer.parseInt(ConfigKeys.defaultValue(ConfigKeys.REVOCATION_RETRY_AFTER_SECONDS)));

    /**
     * The answer of a module that is not started, or of a stopped application's request: 503 with {@code Retry-After}
     * ({@link #NOT_STARTED}).
     */
    public static AuthStatus notStarted(MessageInfo messageInfo) {
        return refuse(messageInfo, AuthStatus.SEND_FAILURE, NOT_STARTED);
    }

    /**
     * Loads now every class of this application that the answer of {@link #notStarted} needs, by writing it once into
     * a response that sends nothing. Jetty closes an application's class loader as it stops the context, with requests
     * still inside: one that reaches the stopped module and needs a class not loaded yet fails with a
     * {@code NoClassDefFoundError}, which Jetty answers 500 (JettyRedeployUnderLoadIT).
     */
    public static void loadNotStartedAnswer() {
        RecordedResponse rehearsal = new RecordedResponse(DiscardingResponse.INSTANCE);
        try {
            NOT_STARTED.writeTo(rehearsal);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a response in memory: not reached
        }
        rehearsal.recordedStatus();
        rehearsal.recordedHeaders();
        rehearsal.recordedBody();
        JettyCoreChannel.loadClasses();
        new ServletChannel(DiscardingResponse.INSTANCE).complete();
        Log.loadClasses(); // the module's debug line before that answer
    }

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
