package org.jwtgate.internal.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.TokenSettings;

/**
 * White space other than SP and HTAB, or a control, before a header's value (a request wrapper's: the containers refuse
 * it) makes the header malformed (400), not "another scheme": read as no bearer header, a cookie carrying another
 * token stood for the request, where a header and a cookie carrying different tokens are 400.
 */
class BearerLeadingWhitespaceTest {

    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    private static final String OTHER = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl";
    private static final TokenSettings DEFAULTS = new TokenSettings("Authorization", "access_token", 8192, 0, "sub", "groups");

    private static ResolvedToken resolve(String authorization, Cookie... cookies) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getHeaders("Authorization")).thenReturn(Collections.enumeration(List.of(authorization)));
        when(request.getHeader("Authorization")).thenReturn(authorization);
        when(request.getCookies()).thenReturn(cookies.length == 0 ? null : cookies);
        when(request.getHeader("Cookie")).thenReturn(cookies.length == 0 ? null : "access_token=" + cookies[0].getValue());
        return new BearerTokenResolver(DEFAULTS).resolve(request);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"\u000b", "\u2003", "\n", "\u001f"})
    void whenOtherWhitespacePrecedesTheValueThenMalformed(String before) {
        assertEquals(ResolvedToken.Kind.MALFORMED, resolve(before + "Bearer " + TOKEN).kind());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"\u000b", "\u2003"})
    void whenSuchAHeaderAndACookieCarryDifferentTokensThenMalformed(String before) {
        ResolvedToken resolved = resolve(before + "Bearer " + TOKEN, new Cookie("access_token", OTHER));
        assertEquals(ResolvedToken.Kind.MALFORMED, resolved.kind(),
                "a cookie's token stood for it, source " + resolved.source());
    }
}
