package org.jwtgate.sample.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code POST /logout}'s {@code all}, read from the raw query string as the container would decode it. */
class LogoutServletTest {

    @Test
    void whenAllIsGivenOnceThenTrueOrFalse() {
        assertTrue(LogoutServlet.everywhere("all=true"));
        assertFalse(LogoutServlet.everywhere("all=false"));
        assertFalse(LogoutServlet.everywhere(null));
        assertFalse(LogoutServlet.everywhere("&&x=1&"));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere("all"));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere("all=true&all=false"));
    }

    @Test
    void whenAllIsPercentEncodedThenItIsStillAll() {
        // getParameter decoded both; a client that encodes more than it must asked to log out everywhere, and a
        // 204 after ending only this session would tell it that it had.
        assertTrue(LogoutServlet.everywhere("%61ll=true"), "an encoded name ignored: only this session ends");
        assertTrue(LogoutServlet.everywhere("all=%74rue"));
        assertThrows(BadRequestException.class, () -> LogoutServlet.everywhere("all=true&%61ll=false"), "given twice");
    }
}
