package org.jwtgate.internal.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.TokenSettings;

class BearerTokenResolverTest {

    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    private static final TokenSettings DEFAULTS = new TokenSettings("Authorization", "access_token", 8192, 0, "sub", "groups");

    private static HttpServletRequest request(List<String> authorization, Cookie... cookies) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getHeaders("Authorization")).thenReturn(Collections.enumeration(authorization));
        // A container answers getHeader with the first of getHeaders.
        when(request.getHeader("Authorization")).thenReturn(authorization.isEmpty() ? null : authorization.get(0));
        when(request.getCookies()).thenReturn(cookies.length == 0 ? null : cookies);
        // As in a container: cookies come from a Cookie header.
        when(request.getHeader("Cookie")).thenReturn(cookies.length == 0 ? null : cookieHeader(cookies));
        return request;
    }

    private static String cookieHeader(Cookie... cookies) {
        return String.join("; ", java.util.Arrays.stream(cookies).map(c -> c.getName() + "=" + c.getValue()).toList());
    }

    private static ResolvedToken resolve(List<String> authorization, Cookie... cookies) {
        return new BearerTokenResolver(DEFAULTS).resolve(request(authorization, cookies));
    }

    @Test
    void whenBearerHeaderThenPresentFromHeader() {
        ResolvedToken resolved = resolve(List.of("Bearer " + TOKEN));
        assertEquals(ResolvedToken.Kind.PRESENT, resolved.kind());
        assertEquals(TOKEN, resolved.token());
        assertEquals(TokenSource.HEADER, resolved.source());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"bearer ", "BEARER ", "BeArEr ", "Bearer  ", "  Bearer "})
    void whenSchemeInAnyCaseOrSpacingThenPresent(String prefix) {
        ResolvedToken resolved = resolve(List.of(prefix + TOKEN + " "));
        assertEquals(ResolvedToken.Kind.PRESENT, resolved.kind());
        assertEquals(TOKEN, resolved.token());
    }

    /** RFC 9110 §5.5: leading and trailing OWS (SP, HTAB) is no part of a field value; other whitespace is. */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"\tBearer " + TOKEN, "Bearer " + TOKEN + "\t", " \t Bearer " + TOKEN + " \t "})
    void whenOwsSurroundsTheValueThenPresent(String header) {
        ResolvedToken resolved = resolve(List.of(header));
        assertEquals(ResolvedToken.Kind.PRESENT, resolved.kind());
        assertEquals(TOKEN, resolved.token());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"Bearer " + TOKEN + "\u000b", "Bearer " + TOKEN + "\u2003", "Bearer " + TOKEN + "\n"})
    void whenOtherWhitespaceFollowsTheTokenThenMalformed(String header) {
        assertEquals(ResolvedToken.Kind.MALFORMED, resolve(List.of(header)).kind());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"Bearer", "Bearer ", "bearer   ", "Bearer\t" + TOKEN, "Bearer," + TOKEN, "Bearer \t" + TOKEN,
            "Bearer  \t " + TOKEN, "Bearer \u000b" + TOKEN, "Bearer \u2003" + TOKEN, "Bearer \n" + TOKEN})
    void whenBearerWithoutAUsableTokenThenMalformed(String header) {
        // RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. Only spaces are skipped, after the first one too.
        assertEquals(ResolvedToken.Kind.MALFORMED, resolve(List.of(header)).kind());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"a b", "a,b", "a\"b", "=abc", "abc=def", "a;b", "a\u00e9b", "a\u0000b", "<script>", "a.b.c, Bearer d.e.f"})
    void whenTokenHasCharactersOutsideB64TokenThenMalformed(String token) {
        assertEquals(ResolvedToken.Kind.MALFORMED, resolve(List.of("Bearer " + token)).kind());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"abc==", "a-b_c.d~e+f/g", "abc"})
    void whenTokenIsAnyB64TokenThenPresent(String token) {
        // RFC 6750 b64token; the verifier decides later whether it is a JWS.
        assertEquals(ResolvedToken.Kind.PRESENT, resolve(List.of("Bearer " + token)).kind());
    }

    @Test
    void whenTwoAuthorizationHeadersThenMalformed() {
        assertEquals(ResolvedToken.Kind.MALFORMED, resolve(List.of("Bearer " + TOKEN, "Bearer " + TOKEN)).kind());
    }

    @Test
    void whenHeaderAndCookieCarryDifferentTokensThenMalformed() {
        assertEquals(ResolvedToken.Kind.MALFORMED,
                resolve(List.of("Bearer " + TOKEN), new Cookie("access_token", TOKEN + "x")).kind());
    }

    @Test
    void whenHeaderAndCookieCarryTheSameTokenThenPresentFromHeader() {
        ResolvedToken resolved = resolve(List.of("Bearer " + TOKEN), new Cookie("access_token", TOKEN));
        assertEquals(ResolvedToken.Kind.PRESENT, resolved.kind());
        assertEquals(TokenSource.HEADER, resolved.source());
    }

    @Test
    void whenOnlyCookieThenPresentFromCookie() {
        ResolvedToken resolved = resolve(List.of(), new Cookie("other", "x"), new Cookie("access_token", TOKEN));
        assertEquals(ResolvedToken.Kind.PRESENT, resolved.kind());
        assertEquals(TOKEN, resolved.token());
        assertEquals(TokenSource.COOKIE, resolved.source());
    }

    /** Jetty 12 with a legacy cookie compliance: getCookies() throws on a name Cookie's constructor refuses. */
    @Test
    void whenTheContainerCannotBuildTheCookiesThenMalformedNotAnException() {
        HttpServletRequest request = request(List.of("Bearer " + TOKEN));
        when(request.getHeader("Cookie")).thenReturn("(=1");
        when(request.getCookies()).thenThrow(new IllegalArgumentException("Cookie name \"(\" is a reserved token"));
        assertEquals(ResolvedToken.Kind.MALFORMED, new BearerTokenResolver(DEFAULTS).resolve(request).kind());
    }

    /**
     * RFC 6265's quoted form, as Tomcat 11 hands it over: its quotes are no b64token characters, so malformed (a 400),
     * where Jetty 12 takes them off itself (security.md). Three rounds of unwrapping them here each let another form
     * through, and the last cost Tomcat 5.7 ms a request of 199 such cookies (the eighth diff review): not done.
     */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"\"T\"", "\"", "\"x", "x\"", "\"\"\"x\"\"\"", "\"x\"y\""})
    void whenTheCookieValueHoldsQuotesThenMalformed(String value) {
        String written = value.replace("T", TOKEN);
        assertEquals(ResolvedToken.Kind.MALFORMED, resolve(List.of(), new Cookie("access_token", written)).kind(), written);
    }

    @Test
    void whenCookieEmptyThenAbsent() {
        assertEquals(ResolvedToken.Kind.ABSENT, resolve(List.of(), new Cookie("access_token", "")).kind());
    }

    @Test
    void whenTwoCookiesOfTheNameDisagreeThenMalformed() {
        assertEquals(ResolvedToken.Kind.MALFORMED,
                resolve(List.of(), new Cookie("access_token", TOKEN), new Cookie("access_token", TOKEN + "x")).kind());
    }

    @Test
    void whenTwoCookiesOfTheNameAgreeThenPresent() {
        assertEquals(ResolvedToken.Kind.PRESENT,
                resolve(List.of(), new Cookie("access_token", TOKEN), new Cookie("access_token", TOKEN)).kind());
    }

    @Test
    void whenCookieHasCharactersOutsideB64TokenThenMalformed() {
        assertEquals(ResolvedToken.Kind.MALFORMED, resolve(List.of(), new Cookie("access_token", "a%20b")).kind());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"Basic YWxpY2U6c2VjcmV0", "Digest username=\"a\"", "Bearerx " + TOKEN, "Token " + TOKEN, ""})
    void whenAnotherSchemeThenAbsent(String header) {
        assertEquals(ResolvedToken.Kind.ABSENT, resolve(List.of(header)).kind());
    }

    /** RFC 9110 §11.1: a scheme name is a token, so "Bearer" followed by any tchar names another scheme. */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"Bearer-v2 ", "Bearer.jwt ", "Bearer_legacy ", "Bearer~x ", "Bearer+x ", "Bearer! ", "Bearer# ",
        "Bearer$ ", "Bearer% ", "Bearer& ", "Bearer' ", "Bearer* ", "Bearer^ ", "Bearer` ", "Bearer| "})
    void whenSchemeNameOnlyBeginsWithBearerThenAbsent(String prefix) {
        assertEquals(ResolvedToken.Kind.ABSENT, resolve(List.of(prefix + TOKEN)).kind());
        assertEquals(ResolvedToken.Kind.PRESENT, resolve(List.of(prefix + TOKEN), new Cookie("access_token", TOKEN)).kind());
    }

    @Test
    void whenBasicHeaderAndBearerCookieThenCookieIsUsed() {
        ResolvedToken resolved = resolve(List.of("Basic YWxpY2U6c2VjcmV0"), new Cookie("access_token", TOKEN));
        assertEquals(TokenSource.COOKIE, resolved.source());
    }

    @Test
    void whenNoHeaderAndNoCookieThenAbsent() {
        assertEquals(ResolvedToken.Kind.ABSENT, resolve(List.of()).kind());
    }

    @Test
    void whenNoCookieHeaderThenTheContainersCookieParsingIsSkipped() {
        HttpServletRequest request = request(List.of("Bearer " + TOKEN));
        assertEquals(ResolvedToken.Kind.PRESENT, new BearerTokenResolver(DEFAULTS).resolve(request).kind());
        verify(request, never()).getCookies();
    }

    @Test
    void whenAWrapperSuppliesCookiesWithoutACookieHeaderThenTheyAreStillRead() {
        HttpServletRequest inner = mock(HttpServletRequest.class);
        when(inner.getHeaders("Authorization")).thenReturn(Collections.emptyEnumeration());
        HttpServletRequest wrapped = new jakarta.servlet.http.HttpServletRequestWrapper(inner) {
            @Override
            public Cookie[] getCookies() {
                return new Cookie[] {new Cookie("access_token", TOKEN)};
            }
        };
        ResolvedToken resolved = new BearerTokenResolver(DEFAULTS).resolve(wrapped);
        assertEquals(ResolvedToken.Kind.PRESENT, resolved.kind());
        assertEquals(TokenSource.COOKIE, resolved.source());
    }

    /** A wrapper of another filter before JwtGate that answers getHeader alone, as hand-written ones often do. */
    private static HttpServletRequest headerWrapper(List<String> containerHeaders, String wrapperHeader) {
        HttpServletRequest inner = request(containerHeaders);
        return new jakarta.servlet.http.HttpServletRequestWrapper(inner) {
            @Override
            public String getHeader(String name) {
                return "Authorization".equalsIgnoreCase(name) ? wrapperHeader : super.getHeader(name);
            }
        };
    }

    @Test
    void whenAWrapperSuppliesTheHeaderByGetHeaderAloneThenItsTokenIsRead() {
        ResolvedToken resolved = new BearerTokenResolver(DEFAULTS).resolve(headerWrapper(List.of(), "Bearer " + TOKEN));
        assertEquals(ResolvedToken.Kind.PRESENT, resolved.kind());
        assertEquals(TOKEN, resolved.token());
        assertEquals(TokenSource.HEADER, resolved.source());
    }

    @Test
    void whenAWrapperReplacesTheHeaderByGetHeaderThenTheApplicationsViewIsRead() {
        ResolvedToken resolved = new BearerTokenResolver(DEFAULTS)
                .resolve(headerWrapper(List.of("Basic dXNlcjpwdw=="), "Bearer " + TOKEN));
        assertEquals(ResolvedToken.Kind.PRESENT, resolved.kind());
        assertEquals(TOKEN, resolved.token());
    }

    /** A wrapper that replaces the header by getHeaders alone, which JAX-RS runtimes such as Jersey read. */
    @Test
    void whenAWrapperReplacesTheHeaderByGetHeadersAloneThenItsTokenIsRead() {
        HttpServletRequest wrapped = new jakarta.servlet.http.HttpServletRequestWrapper(request(List.of("Basic dXNlcjpwdw=="))) {
            @Override
            public Enumeration<String> getHeaders(String name) {
                return "Authorization".equalsIgnoreCase(name) ? Collections.enumeration(List.of("Bearer " + TOKEN))
                        : super.getHeaders(name);
            }
        };
        ResolvedToken resolved = new BearerTokenResolver(DEFAULTS).resolve(wrapped);
        assertEquals(ResolvedToken.Kind.PRESENT, resolved.kind());
        assertEquals(TOKEN, resolved.token());
    }

    /**
     * A wrapper that hides the header from the application (a filter that handled the credentials itself, say): the
     * token it hides is not read either, whichever of getHeader and getHeaders the wrapper overrides.
     */
    @Test
    void whenAWrapperHidesTheHeaderByGetHeaderOrGetHeadersAloneThenNoTokenIsRead() {
        HttpServletRequest byGetHeader = headerWrapper(List.of("Bearer " + TOKEN), null);
        HttpServletRequest byGetHeaders = new jakarta.servlet.http.HttpServletRequestWrapper(request(List.of("Bearer " + TOKEN))) {
            @Override
            public Enumeration<String> getHeaders(String name) {
                return "Authorization".equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
            }
        };
        assertEquals(ResolvedToken.Kind.ABSENT, new BearerTokenResolver(DEFAULTS).resolve(byGetHeader).kind());
        assertEquals(ResolvedToken.Kind.ABSENT, new BearerTokenResolver(DEFAULTS).resolve(byGetHeaders).kind());
    }

    @Test
    void whenAWrapperAnswersOneHeaderButTheRequestCarriesTwoThenMalformed() {
        HttpServletRequest wrapped = headerWrapper(List.of("Bearer " + TOKEN, "Bearer other"), "Bearer " + TOKEN);
        assertEquals(ResolvedToken.Kind.MALFORMED, new BearerTokenResolver(DEFAULTS).resolve(wrapped).kind());
    }

    @Test
    void whenCookieNameEmptyThenCookiesAreNeverRead() {
        TokenSettings noCookie = new TokenSettings("Authorization", null, 8192, 0, "sub", "groups");
        HttpServletRequest request = request(List.of(), new Cookie("access_token", TOKEN));
        assertEquals(ResolvedToken.Kind.ABSENT, new BearerTokenResolver(noCookie).resolve(request).kind());
        verify(request, never()).getCookies();
    }

    @Test
    void whenCustomHeaderConfiguredThenOnlyItIsRead() {
        TokenSettings custom = new TokenSettings("X-Access-Token", "access_token", 8192, 0, "sub", "groups");
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getHeaders("X-Access-Token")).thenReturn(Collections.enumeration(List.of("Bearer " + TOKEN)));
        assertEquals(ResolvedToken.Kind.PRESENT, new BearerTokenResolver(custom).resolve(request).kind());
        verify(request, never()).getHeaders("Authorization");
    }

    @Test
    void whenTokenLongerThanMaxLengthThenPassedOnToBeRefusedAsTooLong() {
        TokenSettings small = new TokenSettings("Authorization", "access_token", 64, 0, "sub", "groups");
        HttpServletRequest request = request(List.of("Bearer " + "a".repeat(65)));
        assertEquals(ResolvedToken.Kind.PRESENT, new BearerTokenResolver(small).resolve(request).kind());
    }

    /**
     * Past token.max-length the value went on unchecked: two folded tokens got 401 "too long" when long and 400 when
     * short, whereas RFC 6750 §2 asks 400 for more than one. The characters up to one past the limit are checked.
     */
    @Test
    void whenAValueLongerThanMaxLengthIsNoB64TokenWithinTheLimitThenItIsMalformed() {
        TokenSettings small = new TokenSettings("Authorization", "access_token", 64, 0, "sub", "groups");
        BearerTokenResolver resolver = new BearerTokenResolver(small);
        for (String value : List.of("a".repeat(40) + ", Bearer " + "b".repeat(40), "a".repeat(40) + " " + "b".repeat(40),
                "a".repeat(64) + "\u00e9" + "b".repeat(10), "a".repeat(20) + "==" + "b".repeat(60))) {
            assertEquals(ResolvedToken.Kind.MALFORMED, resolver.resolve(request(List.of("Bearer " + value))).kind(), value);
        }
        // A bad character beyond the first 65 is not looked for: the value is refused as too long, unparsed (401).
        assertEquals(ResolvedToken.Kind.PRESENT,
                resolver.resolve(request(List.of("Bearer " + "a".repeat(65) + " b"))).kind());
    }

    @Test
    void whenQueryParameterCarriesATokenThenItIsNeverRead() {
        HttpServletRequest request = request(List.of());
        when(request.getParameter("access_token")).thenReturn(TOKEN);
        assertEquals(ResolvedToken.Kind.ABSENT, new BearerTokenResolver(DEFAULTS).resolve(request).kind());
        verify(request, never()).getParameter("access_token");
        verify(request, never()).getQueryString();
    }

    @Test
    void whenPrintedThenTheTokenIsNotShown() {
        assertFalse(resolve(List.of("Bearer " + TOKEN)).toString().contains(TOKEN));
    }

    // ---- DPoP scheme (RFC 9449 §7.1) ---------------------------------------------------------

    private static ResolvedToken resolveWithDpop(List<String> authorization, Cookie... cookies) {
        return new BearerTokenResolver(DEFAULTS, true).resolve(request(authorization, cookies));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"DPoP ", "dpop ", "DPOP ", "  DPoP "})
    void whenDpopEnabledAndDpopSchemeThenPresentWithThatScheme(String prefix) {
        ResolvedToken resolved = resolveWithDpop(List.of(prefix + TOKEN));
        assertEquals(ResolvedToken.Kind.PRESENT, resolved.kind());
        assertEquals(ResolvedToken.Scheme.DPOP, resolved.scheme());
        assertEquals(TOKEN, resolved.token());
        assertEquals(TokenSource.HEADER, resolved.source());
    }

    @Test
    void whenDpopOffThenTheDpopSchemeIsSomeoneElsesAndNoTokenIsFound() {
        assertEquals(ResolvedToken.Kind.ABSENT, resolve(List.of("DPoP " + TOKEN)).kind());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"DPoP", "DPoP ", "DPoP\t" + TOKEN, "DPoP a b", "DPoP {json}", "DPoP \t" + TOKEN})
    void whenDpopSchemeMalformedThenMalformedForThatScheme(String header) {
        ResolvedToken resolved = resolveWithDpop(List.of(header));
        assertEquals(ResolvedToken.Kind.MALFORMED, resolved.kind());
        assertEquals(ResolvedToken.Scheme.DPOP, resolved.scheme());
    }

    @Test
    void whenDpopEnabledThenBearerTokensAndCookiesAreStillFoundAsBearer() {
        ResolvedToken bearer = resolveWithDpop(List.of("Bearer " + TOKEN));
        assertEquals(ResolvedToken.Scheme.BEARER, bearer.scheme());
        ResolvedToken cookie = resolveWithDpop(List.of(), new Cookie("access_token", TOKEN));
        assertEquals(ResolvedToken.Scheme.BEARER, cookie.scheme());
        assertEquals(TokenSource.COOKIE, cookie.source());
        assertEquals(ResolvedToken.Kind.ABSENT, resolveWithDpop(List.of("DPoPx " + TOKEN)).kind());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"DPoP-v2 ", "DPoP.jwt ", "DPoP_x ", "DPoP~x "})
    void whenDpopEnabledAndSchemeNameOnlyBeginsWithDpopThenAbsent(String prefix) {
        assertEquals(ResolvedToken.Kind.ABSENT, resolveWithDpop(List.of(prefix + TOKEN)).kind());
    }

    @Test
    void whenDpopHeaderAndACookieDisagreeThenMalformed() {
        ResolvedToken resolved = resolveWithDpop(List.of("DPoP " + TOKEN), new Cookie("access_token", "other.token.value"));
        assertEquals(ResolvedToken.Kind.MALFORMED, resolved.kind());
        assertEquals(ResolvedToken.Scheme.DPOP, resolved.scheme());
    }
}
