package org.jwtgate.sample.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code POST /logout}'s {@code all}, read from the raw query string as the container would decode it, or the body. */
class LogoutServletTest {

    @Test
    void whenAllIsGivenOnceThenTrueOrFalse() {
        assertTrue(LogoutServlet.everywhere("all=true", null));
        assertFalse(LogoutServlet.everywhere("all=false", null));
        assertFalse(LogoutServlet.everywhere(null, null));
        assertFalse(LogoutServlet.everywhere("&&x=1&", null));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere("all", null));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere("all=true&all=false", null));
    }

    @Test
    void whenAllIsPercentEncodedThenItIsStillAll() {
        // getParameter decoded both; a client that encodes more than it must asked to log out everywhere, and a
        // 204 after ending only this session would tell it that it had.
        assertTrue(LogoutServlet.everywhere("%61ll=true", null), "an encoded name ignored: only this session ends");
        assertTrue(LogoutServlet.everywhere("all=%74rue", null));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere("all=true&%61ll=false", null),
                "given twice");
    }

    @Test
    void whenAllIsInTheBodyThenItCountsAsInTheQueryString() {
        // Read from the query string only, a form's all=true ended this session alone, answered 204 as if every one.
        assertTrue(LogoutServlet.everywhere(null, "true"), "a body's all=true ignored");
        assertFalse(LogoutServlet.everywhere("", "false"));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere(null, "yes"));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere("all=true", "true"),
                "given twice");
    }
}
