package org.jwtgate.internal.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;
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

        default boolean isCommitted() {
            return false;
        }
    }

    /**
     * The form of Jetty's ServletCoreResponse, the core response Jetty hands the module on request.authenticate():
     * it writes into the page's servlet response, which {@code getServletResponse()} answers.
     */
    public static final class PageCoreResponse implements CoreResponse {
        private final CoreResponse sent;
        final JettyPage page;

        PageCoreResponse(CoreResponse sent, JettyPage page) {
            this.sent = sent;
            this.page = page;
        }

        public HttpServletResponse getServletResponse() {
            return page;
        }

        @Override
        public void setStatus(int status) {
            sent.setStatus(status);
        }

        @Override
        public CoreHeaders getHeaders() {
            return sent.getHeaders();
        }

        @Override
        public void write(boolean last, ByteBuffer content, CoreCallback callback) {
            sent.write(last, content, callback);
        }

        @Override
        public boolean isCommitted() {
            return page.isCommitted();
        }
    }

    /**
     * The form of Jetty's ServletApiResponse with what a page began in it: {@code getServletChannel()
     * .getServletContextResponse().resetContent()} drops its buffer, writer and content headers (Jetty's list, Vary
     * and Cache-Control among them).
     */
    public abstract static class JettyPage implements HttpServletResponse {
        final Map<String, List<String>> pageHeaders = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final StringBuilder buffered = new StringBuilder();
        boolean pageCommitted;
        boolean contentReset;

        public JettyPage getServletChannel() {
            return this;
        }

        public JettyPage getServletContextResponse() {
            return this;
        }

        public void resetContent() {
            contentReset = true;
            buffered.setLength(0);
            for (String name : List.of("Content-Type", "Content-Length", "Content-Encoding", "Vary", "Cache-Control")) {
                pageHeaders.remove(name);
            }
        }

        @Override
        public boolean isCommitted() {
            return pageCommitted;
        }

        @Override
        public void setHeader(String name, String value) {
            if (value == null) {
                pageHeaders.remove(name);
            } else {
                pageHeaders.put(name, new ArrayList<>(List.of(value)));
            }
        }

        @Override
        public void addHeader(String name, String value) {
            pageHeaders.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }

        @Override
        public boolean containsHeader(String name) {
            return pageHeaders.containsKey(name);
        }

        @Override
        public java.util.Collection<String> getHeaderNames() {
            return new ArrayList<>(pageHeaders.keySet());
        }

        @Override
        public java.util.Collection<String> getHeaders(String name) {
            return new ArrayList<>(pageHeaders.getOrDefault(name, List.of()));
        }

        @Override
        public void resetBuffer() {
            buffered.setLength(0);
        }
    }

    private static JettyPage jettyPage() {
        return mock(JettyPage.class, withSettings().useConstructor().defaultAnswer(CALLS_REAL_METHODS));
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

        /** What getBaseResponse() answers: the core response itself, or a page's (request.authenticate()). */
        CoreResponse base = response;

        public CoreResponse getBaseResponse() {
            return base;
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

    /**
     * Jetty's request.authenticate() on a page that began its answer (buffered, not committed): the page's bytes, its
     * writer's charset and the headers describing its body are dropped before the refusal is written (Jetty sent the
     * page's bytes under the refusal's Content-Length, with its Content-Encoding and Content-Disposition); the page's
     * other headers stay, as on Tomcat.
     */
    @Test
    void whenAuthenticateAfterThePageBeganThenThePageIsDroppedBeforeTheRefusal() throws IOException {
        JettyLikeMessage message = new JettyLikeMessage();
        JettyPage page = jettyPage();
        page.setHeader("Content-Type", "text/csv;charset=iso-8859-1");
        page.setHeader("Content-Encoding", "gzip");
        page.setHeader("Content-Disposition", "attachment; filename=\"report.csv.gz\"");
        page.setHeader("ETag", "\"v1\"");
        page.addHeader("Vary", "Origin");
        page.addHeader("Vary", "Accept-Encoding");
        page.setHeader("Access-Control-Allow-Origin", "https://app.example");
        page.buffered.append("page started,");
        message.base = new PageCoreResponse(message.base, page);
        ResponseChannel channel = ResponseChannel.of(message);
        assertTrue(!channel.committed());

        new BearerErrorResponder("secured").missingToken(channel.response());
        channel.complete();

        assertTrue(page.contentReset, "Jetty's resetContent(): the writer and its charset are forgotten");
        assertEquals("", page.buffered.toString());
        assertEquals(Set.of("Vary", "Access-Control-Allow-Origin"), Set.copyOf(page.getHeaderNames()));
        assertEquals(List.of("Origin", "Accept-Encoding"), page.pageHeaders.get("Vary"));
        assertEquals(401, message.status);
        assertEquals("application/json;charset=UTF-8", message.headers.get("Content-Type"));
        assertEquals("{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a bearer token is required\"}",
                message.body);
        assertTrue(message.last && message.succeeded);
    }

    /** A page's own wrapper (a compression filter) may encode what is written through it: its Content-Encoding stays. */
    @Test
    void whenThePageResponseIsAWrapperThenItsContentEncodingStaysAndItsBufferIsReset() throws IOException {
        JettyLikeMessage message = new JettyLikeMessage();
        JettyPage page = jettyPage();
        page.setHeader("Content-Encoding", "gzip");
        page.setHeader("Content-Disposition", "attachment");
        page.buffered.append("page started,");
        message.base = new PageCoreResponse(message.base, page);
        ResponseChannel channel = ResponseChannel.of(message);
        new BearerErrorResponder("secured").missingToken(channel.response());
        JettyCoreChannel.clearPage(new jakarta.servlet.http.HttpServletResponseWrapper(page));
        assertTrue(page.contentReset);
        assertEquals(List.of("gzip"), page.pageHeaders.get("Content-Encoding"));
        assertNull(page.pageHeaders.get("Content-Disposition"));
    }

    /**
     * Jetty's request.authenticate() after the page committed its start: nothing is written (Jetty appended the JSON
     * challenge to the page's 200 body); the module then answers no caller and Jetty throws IllegalStateException.
     */
    @Test
    void whenThePageIsCommittedThenNothingIsWrittenAndTheExchangeFails() throws IOException {
        JettyLikeMessage message = new JettyLikeMessage();
        JettyPage page = jettyPage();
        page.pageCommitted = true;
        page.buffered.append("page sent,");
        message.base = new PageCoreResponse(message.base, page);
        ResponseChannel channel = ResponseChannel.of(message);
        assertTrue(channel.committed());

        new BearerErrorResponder("secured").missingToken(channel.response());
        assertThrows(IOException.class, channel::complete);
        assertNull(message.body);
        assertEquals(0, message.status);
        assertNotNull(message.failure);
        assertEquals("page sent,", page.buffered.toString());
    }

    /**
     * The module on Jetty's request.authenticate() after the page committed: AuthException, nothing written, the
     * exchange's callback left to Jetty (which then throws IllegalStateException("Response committed"), as Tomcat's
     * request.authenticate() throws IllegalStateException on a committed response).
     */
    @Test
    void whenAuthenticateOnACommittedPageThenTheModuleThrowsAndWritesNothing() {
        ClosedApplicationClassLoaderTest.MandatoryMessage message = new ClosedApplicationClassLoaderTest.MandatoryMessage(null, true);
        JettyPage page = jettyPage();
        page.pageCommitted = true;
        message.jetty.base = new PageCoreResponse(message.jetty.base, page);
        assertThrows(jakarta.security.auth.message.AuthException.class,
                () -> new org.jwtgate.authentication.JwtServerAuthModule().validateRequest(message, new javax.security.auth.Subject(), null));
        assertNull(message.jetty.body);
        assertEquals(0, message.jetty.status);
        assertTrue(!message.jetty.succeeded && message.jetty.failure == null, "Jetty completes its own callback");
    }
}
