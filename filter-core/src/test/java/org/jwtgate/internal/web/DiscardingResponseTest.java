package org.jwtgate.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DiscardingResponseTest {

    private final HttpServletResponse response = DiscardingResponse.INSTANCE;

    @Test
    void takesEverythingAndKeepsNothing() throws Exception {
        response.setStatus(503);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8));
        response.getWriter().write("text");
        assertEquals(0, response.getStatus());
        assertNull(response.getHeader("WWW-Authenticate"));
        assertFalse(response.containsHeader("WWW-Authenticate"));
        assertFalse(response.isCommitted());
        assertTrue(response.getHeaderNames().isEmpty());
        assertTrue(response.getHeaders("WWW-Authenticate").isEmpty());
        assertEquals("ISO-8859-1", response.getCharacterEncoding());
    }

    @Test
    void isAnOrdinaryObjectForCallersThatLogOrCompareIt() {
        assertEquals("DiscardingResponse", String.valueOf(response));
        assertEquals(response, response);
        assertNotEquals(response, new Object());
        assertEquals(System.identityHashCode(response), response.hashCode());
        assertTrue(new HttpServletResponseWrapper(response).getHeaderNames().isEmpty());
    }

    @Test
    void anAsynchronousWriterIsToldAtOnceThatItMayWrite() throws Exception {
        AtomicBoolean told = new AtomicBoolean();
        response.getOutputStream().setWriteListener(new WriteListener() {
            @Override
            public void onWritePossible() {
                told.set(true);
            }

            @Override
            public void onError(Throwable t) {
            }
        });
        assertTrue(told.get());
        assertTrue(response.getOutputStream().isReady());
    }
}
