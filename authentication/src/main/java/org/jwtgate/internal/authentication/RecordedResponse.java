package org.jwtgate.internal.authentication;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A response that keeps what is written to it — status, headers, body — instead of sending it, for
 * a container whose servlet response cannot be written from a {@code ServerAuthModule} (Jetty 12,
 * see {@link ResponseChannel}). Only the refusal writer ({@code BearerErrorResponder}) writes to it.
 * Nothing reaches the wrapped response: it is kept only because a wrapper needs one.
 */
final class RecordedResponse extends HttpServletResponseWrapper {

    // Each value is a field of its own: two WWW-Authenticate challenges (dpop.mode=allowed) are two fields, as on Tomcat.
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status = SC_OK;
    private String contentType;
    private String characterEncoding;
    private ServletOutputStream output;

    RecordedResponse(HttpServletResponse response) {
        super(response);
    }

    int recordedStatus() {
        return status;
    }

    /** Headers in the order first set, each with its fields' values; Content-Type and Content-Length included once set. */
    Map<String, List<String>> recordedHeaders() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        headers.forEach((name, values) -> all.put(name, List.copyOf(values)));
        if (contentType != null) {
            all.put("Content-Type", List.of(characterEncoding == null ? contentType : contentType + ";charset=" + characterEncoding));
        }
        return Collections.unmodifiableMap(all);
    }

    byte[] recordedBody() {
        return body.toByteArray();
    }

    @Override
    public void setStatus(int sc) {
        status = sc;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void setHeader(String name, String value) {
        if ("Content-Type".equalsIgnoreCase(name)) {
            setContentType(value);
        } else if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, new ArrayList<>(List.of(value)));
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (value == null) {
            return; // as a servlet response: adding nothing changes nothing
        }
        if ("Content-Type".equalsIgnoreCase(name)) {
            setHeader(name, value);
        } else {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    /** The first value, as a servlet response answers. */
    @Override
    public String getHeader(String name) {
        List<String> values = recordedHeaders().get(name);
        return values == null ? null : values.get(0);
    }

    @Override
    public boolean containsHeader(String name) {
        return recordedHeaders().containsKey(name);
    }

    @Override
    public void setContentType(String type) {
        contentType = type;
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public void setCharacterEncoding(String charset) {
        characterEncoding = charset;
    }

    @Override
    public String getCharacterEncoding() {
        return characterEncoding == null ? StandardCharsets.ISO_8859_1.name() : characterEncoding;
    }

    @Override
    public void setContentLength(int len) {
        setHeader("Content-Length", Integer.toString(len));
    }

    @Override
    public void setContentLengthLong(long len) {
        setHeader("Content-Length", Long.toString(len));
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (output == null) {
            output = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    body.write(bytes, offset, length);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new IllegalStateException("not an asynchronous response");
                }
            };
        }
        return output;
    }

    @Override
    public PrintWriter getWriter() {
        throw new IllegalStateException("a recorded refusal is written as bytes");
    }

    /** Nothing recorded is ever sent from here. */
    @Override
    public boolean isCommitted() {
        return false;
    }

    @Override
    public void flushBuffer() {
        // nothing is sent from here
    }

    /** Forgets the body recorded so far; the wrapped response is never touched. */
    @Override
    public void resetBuffer() {
        body.reset();
    }

    @Override
    public void sendError(int sc) {
        setStatus(sc);
    }

    @Override
    public void sendError(int sc, String msg) {
        setStatus(sc);
    }
}
