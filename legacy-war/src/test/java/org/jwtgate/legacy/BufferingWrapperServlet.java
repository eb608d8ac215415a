package org.jwtgate.legacy;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A page behind a response wrapper that holds the body until the page ends (as Spring's ContentCachingResponseWrapper,
 * an ETag or a response-caching filter does), which begins its answer, then asks for the caller with
 * {@code request.authenticate(wrapper)}. The wrapper's {@code resetBuffer()} drops what it holds, as the Servlet API
 * asks of a reset.
 */
public class BufferingWrapperServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        Buffering page = new Buffering(response);
        page.setContentType("text/plain;charset=UTF-8");
        page.getOutputStream().write("page started,".getBytes(StandardCharsets.UTF_8));
        try {
            if (request.authenticate(page)) {
                page.getOutputStream().write(("user=" + request.getUserPrincipal().getName()).getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            page.copyBodyToResponse();
        }
    }

    /** Holds what is written until {@link #copyBodyToResponse()}. */
    public static final class Buffering extends HttpServletResponseWrapper {
        final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private final Held stream = new Held(held);

        Buffering(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return stream;
        }

        @Override
        public void resetBuffer() {
            held.reset();
            super.resetBuffer();
        }

        @Override
        public void reset() {
            held.reset();
            super.reset();
        }

        void copyBodyToResponse() throws IOException {
            if (!getResponse().isCommitted() && held.size() > 0) {
                getResponse().getOutputStream().write(held.toByteArray());
            }
            held.reset();
        }
    }

    /** The wrapper's stream: into its buffer. */
    public static final class Held extends ServletOutputStream {
        private final ByteArrayOutputStream held;

        Held(ByteArrayOutputStream held) {
            this.held = held;
        }

        @Override
        public void write(int b) {
            held.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            held.write(b, off, len);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
