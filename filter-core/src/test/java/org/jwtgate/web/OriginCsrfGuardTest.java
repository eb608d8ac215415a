package org.jwtgate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Fetch Metadata first, then Origin, then Referer; a request that proves nothing is cross-site. */
class OriginCsrfGuardTest {

    private final OriginCsrfGuard guard = new OriginCsrfGuard();

    private static HttpServletRequest request(String fetchSite, String origin, String referer) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getScheme()).thenReturn("https");
        when(request.getServerName()).thenReturn("app.example");
        when(request.getServerPort()).thenReturn(443);
        when(request.getHeader("Sec-Fetch-Site")).thenReturn(fetchSite);
        when(request.getHeader("Origin")).thenReturn(origin);
        when(request.getHeader("Referer")).thenReturn(referer);
        return request;
    }

    @ParameterizedTest(name = "Sec-Fetch-Site [{0}] → same origin: {1}")
    @CsvSource({"same-origin, true", "SAME-ORIGIN, true", "none, true", "same-site, false", "cross-site, false", "bogus, false"})
    void whenFetchMetadataPresentThenItDecidesAlone(String fetchSite, boolean expected) {
        // A contradicting Origin is ignored: browsers that send Sec-Fetch-Site set it correctly.
        assertEquals(expected, guard.isSameOrigin(request(fetchSite, "https://evil.example", null)));
    }

    @ParameterizedTest(name = "Origin [{0}] → same origin: {1}")
    @CsvSource({
            "https://app.example, true",
            "https://app.example:443, true",
            "HTTPS://APP.EXAMPLE, true",
            "http://app.example, false",
            "https://app.example:8443, false",
            "https://evil.example, false",
            "https://app.example.evil.example, false",
            "null, false",
            "'not a url', false",
            "app.example, false"})
    void whenOnlyOriginThenItMustEqualTheRequestOrigin(String origin, boolean expected) {
        assertEquals(expected, guard.isSameOrigin(request(null, origin, null)));
    }

    @Test
    void whenOriginPresentThenRefererIsNotConsulted() {
        assertFalse(guard.isSameOrigin(request(null, "https://evil.example", "https://app.example/page")));
    }

    @ParameterizedTest(name = "Referer [{0}] → same origin: {1}")
    @CsvSource({"https://app.example/orders?id=1, true", "https://evil.example/app.example, false", "'', false"})
    void whenOnlyRefererThenItsOriginMustMatch(String referer, boolean expected) {
        assertEquals(expected, guard.isSameOrigin(request(null, null, referer)));
    }

    /**
     * Only a Referer's scheme and authority count. A browser leaves "|", "{", "}", "^" or a lone "%" of a page's query
     * (or path) as typed, which java.net.URI refuses: the page's own Referer was refused.
     */
    @ParameterizedTest(name = "Referer [{0}] → same origin: {1}")
    @CsvSource(delimiter = ';', value = {
            "https://app.example/search?q=a|b; true",
            "https://app.example/search?q={x}&r=1^2; true",
            "https://app.example/discount?p=50%; true",
            "https://app.example/a|b/page; true",
            "https://app.example#frag|ment; true",
            "https://evil.example/search?q=a|b; false",
            "https://evil.example?@app.example/x|y; false",
            "https://evil.example#@app.example/x|y; false",
            "https://app.example@evil.example/x|y; false",
            "https://app.example\\@evil.example/x|y; false"})
    void whenTheRefererHoldsCharactersUriRefusesThenOnlyItsOriginCounts(String referer, boolean expected) {
        assertEquals(expected, guard.isSameOrigin(request(null, null, referer)));
    }

    @Test
    void whenNoFetchMetadataNoOriginNoRefererThenRefused() {
        assertFalse(guard.isSameOrigin(request(null, null, null)));
    }

    @Test
    void whenPlainHttpOnAPortThenPortIsCompared() {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getScheme()).thenReturn("http");
        when(request.getServerName()).thenReturn("127.0.0.1");
        when(request.getServerPort()).thenReturn(8080);
        when(request.getHeader("Origin")).thenReturn("http://127.0.0.1:8080");
        assertTrue(guard.isSameOrigin(request));
        when(request.getHeader("Origin")).thenReturn("http://127.0.0.1");
        assertFalse(guard.isSameOrigin(request));
    }

    /**
     * A host name with "_" (a Docker Compose service, my_app) is one java.net.URI parses without a host: the request's
     * own Origin was refused (403 for every cookie-authenticated POST from a browser without Fetch Metadata).
     */
    @ParameterizedTest(name = "Host [{0}], Origin [{1}] → same origin: {2}")
    @CsvSource({
            "my_app, http://my_app:8080, true",
            "MY_APP, http://my_app:8080, true",
            "web-1.internal_net, http://web-1.internal_net:8080, true",
            "app.1x, http://app.1x:8080, true",
            "my_app, http://my_app:9090, false",
            "my_app, http://my_app, false",
            "my_app, https://my_app:8080, false",
            "my_app, http://other_app:8080, false",
            "my_app, http://my_app:8080@evil.example, false",
            "my_app, http://user@my_app:8080, false",
            "my_app, http:my_app:8080, false"})
    void whenTheHostNameIsOneUriLeavesUnparsedThenItsOwnOriginIsStillRecognised(String host, String origin,
                                                                                boolean expected) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getScheme()).thenReturn("http");
        when(request.getServerName()).thenReturn(host);
        when(request.getServerPort()).thenReturn(8080);
        when(request.getHeader("Origin")).thenReturn(origin);
        assertEquals(expected, guard.isSameOrigin(request));
        when(request.getHeader("Origin")).thenReturn(null);
        when(request.getHeader("Referer")).thenReturn(origin + "/page");
        assertEquals(expected, guard.isSameOrigin(request), "as Referer");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE", "post", "PROPFIND", "CONNECT"})
    void whenMethodChangesStateThenUnsafe(String method) {
        assertTrue(OriginCsrfGuard.isUnsafeMethod(method));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "TRACE", "get"})
    void whenMethodIsSafeThenNotChecked(String method) {
        assertFalse(OriginCsrfGuard.isUnsafeMethod(method));
    }
}
