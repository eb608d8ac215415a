package org.jwtgate.internal.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3986 §6.2.2–6.2.3 normalisation as RFC 9449 §4.3 asks: equivalent URIs meet, others never do. */
class TargetUriTest {

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = ' ', value = {
            "https://api.example/orders https://api.example/orders",
            "HTTPS://API.Example/orders https://api.example/orders",
            "https://api.example:443/orders https://api.example/orders",
            "http://api.example:80/orders http://api.example/orders",
            "https://api.example https://api.example/",
            "https://api.example/orders?x=1 https://api.example/orders",
            "https://api.example/orders#top https://api.example/orders",
            "https://api.example/orders?a#b https://api.example/orders",
            "https://api.example/%6Frders https://api.example/orders",
            "https://api.example/a%2fb https://api.example/a%2Fb",
            "https://api.example/caf%c3%a9 https://api.example/caf%C3%A9",
            "https://api.example/%7euser https://api.example/~user",
            "https://api.example/a/./b/../c https://api.example/a/c",
            "https://[::1]:8443/x https://[::1]:8443/x",
            "https://api.example:08443/x https://api.example:8443/x",
            "https://api.example/files/\uD83D\uDE00 https://api.example/files/%F0%9F%98%80"})
    void whenUrisAreEquivalentThenTheyNormaliseAlike(String presented, String normal) {
        assertEquals(TargetUri.normalize(normal), TargetUri.normalize(presented));
        assertEquals(normal, TargetUri.normalize(normal));
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = ' ', value = {
            "http://api.example/orders https://api.example/orders",
            "https://api.example:8443/orders https://api.example/orders",
            "https://api.example:80/orders https://api.example/orders",
            "https://other.example/orders https://api.example/orders",
            "https://api.example/orders/ https://api.example/orders",
            "https://api.example/Orders https://api.example/orders",
            "https://api.example/a%2Fb https://api.example/a/b",
            "https://api.example/orders%3Fx=1 https://api.example/orders",
            "https://api.example/order https://api.example/orders",
            "https://api.example.evil/orders https://api.example/orders",
            "https://api.example/files/\uD83D\uDE00 https://api.example/files/%3F%3F",
            "https://api.example/files/\uD83D\uDE00 https://api.example/files/\uD83D\uDE42",
            "https://api.example/%\uFF14\uFF11pi https://api.example/Api",
            "https://\u212Aey.example/x https://key.example/x",
            "https://[::\u212A]/x https://[::k]/x"})
    void whenUrisDifferThenTheyNeverMeet(String presented, String other) {
        assertNotEquals(TargetUri.normalize(other), TargetUri.normalize(presented));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/orders", "api.example/orders", "ftp://api.example/x", "https://user@api.example/x",
            "https:///x", "https://api.example:99999/x", "https://api.example:8a/x", "https://api.example/%zz",
            "https://api.example/%4", "https://[::1/x", "https://[::1]x/y", "urn:x:y", "https://api.example/\uD83Dx",
            "https://api.example/%\uFF14\uFF11", "http://api.example:8080:80/x", "http://api.example:8080:/x",
            "https://api.example::443/x", "http://(::/x", "http://a{b}/x", "http://a\\b/x", "http://a b/x"})
    void whenNotAnAbsoluteHttpUriThenNothing(String uri) {
        assertNull(TargetUri.normalize(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.example/a b", "https://api.example/ümlaut", "https://api.example/a\"b"})
    void whenCharactersAreNotAllowedRawThenTheyArePercentEncodedOnBothSides(String raw) {
        String encoded = TargetUri.normalize(raw);
        assertEquals(encoded, TargetUri.normalize(encoded));
    }

    /** Normalising a normal form changes nothing: else a host such as {@code (:} met another one after a second pass. */
    @org.junit.jupiter.api.Test
    void whenNormalisedTwiceThenAsOnceForRandomUris() {
        java.util.Random random = new java.util.Random(20261206);
        String alphabet = "aA0:/?#[]@!$&'()*+,;=%.-_~ \u00e9\ud800\udc00{}\\2eEfF";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder uri = new StringBuilder(random.nextBoolean() ? "https://" : "http://");
            for (int n = random.nextInt(24); n > 0; n--) {
                uri.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String once = TargetUri.normalize(uri.toString());
            if (once != null) {
                assertEquals(once, TargetUri.normalize(once), uri::toString);
            }
        }
    }
}
