package org.jwtgate.sample.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /logout}'s {@code all}, read from the raw query string as the container would decode it, or the body. */
class LogoutServletTest {

    @Test
    void whenAllIsGivenOnceThenTrueOrFalse() {
        assertTrue(LogoutServlet.everywhere("all=true", Map.of()));
        assertFalse(LogoutServlet.everywhere("all=false", Map.of()));
        assertFalse(LogoutServlet.everywhere(null, Map.of()));
        assertFalse(LogoutServlet.everywhere("&&x=1&", Map.of()));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere("all", Map.of()));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere("all=true&all=false", Map.of()));
    }

    @Test
    void whenAllIsPercentEncodedThenItIsStillAll() {
        // getParameter decoded both; a client that encodes more than it must asked to log out everywhere, and a
        // 204 after ending only this session would tell it that it had.
        assertTrue(LogoutServlet.everywhere("%61ll=true", Map.of()), "an encoded name ignored: only this session ends");
        assertTrue(LogoutServlet.everywhere("all=%74rue", Map.of()));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere("all=true&%61ll=false", Map.of()),
                "given twice");
    }

    @Test
    void whenAllIsInTheBodyThenItCountsAsInTheQueryString() {
        // Read from the query string only, a form's all=true ended this session alone, answered 204 as if every one.
        assertTrue(LogoutServlet.everywhere(null, Map.of("all", "true")), "a body's all=true ignored");
        assertFalse(LogoutServlet.everywhere("", Map.of("all", "false")));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere(null, Map.of("all", "yes")));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere("all=true", Map.of("all", "true")),
                "given twice");
    }
}
