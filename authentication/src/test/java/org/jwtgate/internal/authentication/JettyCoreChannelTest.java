package org.jwtgate.internal.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import jakarta.security.auth.message.MessageInfo;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.DpopSettings;
import org.jwtgate.internal.web.BearerErrorResponder;

/**
 * The two ways a refusal leaves: into the servlet response (any container), or through a Jetty-shaped
 * message's core response and callback. The Jetty shape is imitated by public types of the same form
 * as Jetty 12's ({@code getBaseResponse()}, {@code getCallback()}, {@code Response.write(boolean,
 * ByteBuffer, Callback)}), since Jetty itself is not on this module's class path.
 */
class JettyCoreChannelTest {

    /** The form of org.eclipse.jetty.util.Callback. */
    public interface CoreCallback {
        void succeeded();

        void failed(Throwable cause);
    }

    /** The form of org.eclipse.jetty.http.HttpFields.Mutable. */
    public interface CoreHeaders {
        CoreHeaders put(String name, String value);

        CoreHeaders add(String name, String value);
    }

    /** The form of org.eclipse.jetty.server.Response. */
    public interface CoreResponse {
        void setStatus(int status);

        CoreHeaders getHeaders();

        void write(boolean last, ByteBuffer content, CoreCallback callback);
    }

    /** What a Jetty message hands out, with what was done to it. */
    public static final class JettyLikeMessage implements MessageInfo {

        final HttpServletResponse servletResponse = mock(HttpServletResponse.class);
        final Map<String, String> headers = new LinkedHashMap<>();
        /** Every header field sent, in order: a name twice is two fields. */
        final List<String> fields = new ArrayList<>();
        int status;
        String body;
        boolean last;
        boolean succeeded;
        Throwable failure;
        boolean writeFails;

        private final CoreCallback callback = new CoreCallback() {
            @Override
            public void succeeded() {
                succeeded = true;
            }

            @Override
            public void failed(Throwable cause) {
                failure = cause;
            }
        };

        private final CoreResponse response = new CoreResponse() {
            @Override
            public void setStatus(int code) {
                status = code;
            }

            @Override
            public CoreHeaders getHeaders() {
                return new CoreHeaders() {
                    @Override
                    public CoreHeaders put(String name, String value) {
                        headers.put(name, value);
                        fields.removeIf(field -> field.startsWith(name + ": "));
                        fields.add(name + ": " + value);
                        return this;
                    }

                    @Override
                    public CoreHeaders add(String name, String value) {
                        headers.merge(name, value, (first, next) -> first);
                        fields.add(name + ": " + value);
                        return this;
                    }
                };
            }

            @Override
            public void write(boolean isLast, ByteBuffer content, CoreCallback done) {
                if (writeFails) {
                    throw new IllegalStateException("connection closed");
                }
                last = isLast;
                body = StandardCharsets.UTF_8.decode(content).toString();
                done.succeeded();
            }
        };

        public CoreResponse getBaseResponse() {
            return response;
        }

        public CoreCallback getCallback() {
            return callback;
        }

        private Object request;

        @Override
        public Object getRequestMessage() {
            return request;
        }

        @Override
        public Object getResponseMessage() {
            return servletResponse;
        }

        @Override
        public void setRequestMessage(Object request) {
            this.request = request;
        }

        @Override
        public void setResponseMessage(Object response) {
        }

        @Override
        public Map<String, Object> getMap() {
            return new HashMap<>();
        }
    }

    /** A container following the profile: the servlet response only. */
    private static MessageInfo plainMessage(Object response) {
        return new MessageInfo() {
            @Override
            public Object getRequestMessage() {
                return null;
            }

            @Override
            public Object getResponseMessage() {
                return response;
            }

            @Override
            public void setRequestMessage(Object request) {
            }

            @Override
            public void setResponseMessage(Object r) {
            }

            @Override
            public Map<String, Object> getMap() {
                return new HashMap<>();
            }
        };
    }

    @Test
    void whenJettyMessageThenRefusalGoesThroughTheCoreResponseInOneLastWriteAndCompletes() throws IOException {
        JettyLikeMessage message = new JettyLikeMessage();
        ResponseChannel channel = ResponseChannel.of(message);
        assertInstanceOf(JettyCoreChannel.class, channel);

        new BearerErrorResponder("secured").invalidToken(channel.response(), "The access token expired");
        channel.complete();

        assertEquals(401, message.status);
        assertEquals("Bearer realm=\"secured\", error=\"invalid_token\", error_description=\"The access token expired\"",
                message.headers.get("WWW-Authenticate"));
        assertEquals("no-store", message.headers.get("Cache-Control"));
        assertEquals("application/json;charset=UTF-8", message.headers.get("Content-Type"));
        assertEquals(Integer.toString(message.body.getBytes(StandardCharsets.UTF_8).length), message.headers.get("Content-Length"));
        assertEquals("{\"error\":\"invalid_token\",\"error_description\":\"The access token expired\"}", message.body);
        assertTrue(message.last && message.succeeded);
        verifyNoInteractions(message.servletResponse); // nothing through Jetty's servlet layer
    }

    /**
     * With {@code dpop.mode=allowed} a 401 offers both schemes, one {@code WWW-Authenticate} field each, as the
     * servlet response carries them on Tomcat; through Jetty's core response they were sent as one field.
     */
    @Test
    void whenDpopAllowedRefusalGoesThroughJettyThenEachChallengeIsItsOwnHeaderField() throws IOException {
        JettyLikeMessage message = new JettyLikeMessage();
        ResponseChannel channel = ResponseChannel.of(message);
        DpopSettings off = DpopSettings.OFF;
        new BearerErrorResponder("secured", new DpopSettings(DpopSettings.Mode.ALLOWED, off.algorithms(),
                off.proofMaxAgeSeconds(), false, null, off.nonceLifetimeSeconds(), null)).missingToken(channel.response());
        channel.complete();

        assertEquals(List.of("WWW-Authenticate: Bearer realm=\"secured\"",
                        "WWW-Authenticate: DPoP realm=\"secured\", algs=\"ES256 EdDSA RS256 PS256\""),
                message.fields.stream().filter(field -> field.startsWith("WWW-Authenticate")).toList());
    }

    @Test
    void whenJettyCoreWriteFailsThenCallbackFailedAndIOException() throws IOException {
        JettyLikeMessage message = new JettyLikeMessage();
        message.writeFails = true;
        ResponseChannel channel = ResponseChannel.of(message);
        new BearerErrorResponder("secured").missingToken(channel.response());
        assertThrows(IOException.class, channel::complete);
        assertNotNull(message.failure);
    }

    @Test
    void whenOtherContainerThenTheServletResponseItself() throws IOException {
        HttpServletResponse response = mock(HttpServletResponse.class);
        ResponseChannel channel = ResponseChannel.of(plainMessage(response));
        assertSame(response, channel.response());
        channel.complete(); // nothing to do
    }

    @Test
    void whenNoServletResponseThenNoChannel() {
        assertNull(ResponseChannel.of(plainMessage(null)));
        assertNull(ResponseChannel.of(plainMessage("not a response")));
    }

    @Test
    void whenRecordedThenHeadersBodyAndStatusKeptAndNothingSent() throws IOException {
        HttpServletResponse real = mock(HttpServletResponse.class);
        RecordedResponse recorded = new RecordedResponse(real);
        recorded.setStatus(503);
        recorded.setHeader("Retry-After", "5");
        recorded.addHeader("Vary", "Origin");
        recorded.addHeader("Vary", "Cookie");
        recorded.setIntHeader("X-Count", 2);
        recorded.setContentType("application/json");
        recorded.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8));
        recorded.flushBuffer();
        assertEquals(503, recorded.recordedStatus());
        assertEquals(Set.of("Retry-After", "Vary", "X-Count", "Content-Type"), recorded.recordedHeaders().keySet());
        assertEquals(List.of("Origin", "Cookie"), recorded.recordedHeaders().get("Vary"));
        assertEquals("Origin", recorded.getHeader("Vary")); // the first value, as a servlet response answers
        assertEquals("application/json", recorded.getHeader("Content-Type"));
        assertEquals("{}", new String(recorded.recordedBody(), StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, recorded::getWriter);
        verifyNoInteractions(real);
    }

    /** The refusal writer resets the buffer first: the recording forgets its body, and the wrapped response stays untouched. */
    @Test
    void whenRecordedBufferResetThenOnlyTheBodyWrittenAfterIsKeptAndNothingSent() throws IOException {
        HttpServletResponse real = mock(HttpServletResponse.class);
        RecordedResponse recorded = new RecordedResponse(real);
        recorded.setHeader("Retry-After", "5");
        recorded.getOutputStream().write("partial".getBytes(StandardCharsets.UTF_8));
        recorded.resetBuffer();
        recorded.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{}", new String(recorded.recordedBody(), StandardCharsets.UTF_8));
        assertEquals("5", recorded.getHeader("Retry-After"));
        verifyNoInteractions(real);
    }
}
