package org.jwtgate.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogTest {

    @Test
    void whenPlaceholdersAndArgumentsMatchThenEachIsReplacedInOrder() {
        assertEquals("a=1, b=two", Log.format("a={}, b={}", 1, "two"));
    }

    @Test
    void whenFewerArgumentsThanPlaceholdersThenTheRestStay() {
        assertEquals("a=1, b={}", Log.format("a={}, b={}", 1));
    }

    @Test
    void whenMoreArgumentsThanPlaceholdersThenTheExtraAreIgnored() {
        assertEquals("only 1", Log.format("only {}", 1, new IllegalStateException("cause")));
    }

    @Test
    void whenNoArgumentsThenThePatternIsTheMessage() {
        assertEquals("plain {}", Log.format("plain {}"));
    }

    @Test
    void whenAnArgumentHoldsLineBreaksOrControlsThenTheyAreEscapedSoNoLineCanBeForged() {
        // A decoded request path a client chose: "/x%0d%0a12:00:00 INFO forged line".
        assertEquals("Answering 503 to GET /x\\u000d\\u000a12:00:00 INFO forged\\u2028line\\u0000",
                Log.format("Answering 503 to {} {}", "GET", "/x\r\n12:00:00 INFO forged\u2028line\u0000"));
    }

    /**
     * A request's path may carry a token (a magic link, /reset/eyJ…): every refusal and 503 line names the path, and
     * wrote it whole (a fuzzer's find, at DEBUG, and at WARN for a 503).
     */
    @Test
    void whenAnArgumentHoldsATokenThenItIsNotShown() {
        String token = org.jwtgate.testkit.tokens.TestTokens.hs256("alice");
        assertEquals("Answering 503 to GET /reset/(a token, not shown): the store is down",
                Log.format("Answering 503 to {} {}: {}", "GET", "/reset/" + token, "the store is down"));
        String far = "/x/" + "a".repeat(Log.MAX_ARGUMENT_LENGTH - 10) + "/" + token;
        String line = Log.format("Refused {}", far);
        org.junit.jupiter.api.Assertions.assertFalse(line.contains(token.substring(0, 20)) && line.contains(token), line);
        org.junit.jupiter.api.Assertions.assertFalse(line.contains(token.substring(token.lastIndexOf('.'))), line);
        assertEquals("jwt.issuer=https://issuer.example, realm_access.roles",
                Log.format("{}, {}", "jwt.issuer=https://issuer.example", "realm_access.roles"), "dotted names stay");
    }

    /**
     * A token longer than the scan (24 KiB) in a path, as a container whose header limit was raised lets through: it
     * lost its last dots to the scan's end, went untold, and the line showed its first 8 KiB, header and claims (found
     * by a probe, on Jetty's 503 WARN). Scanned to the end of its run now, or, longer still, not shown from its start.
     */
    @Test
    void whenAnArgumentHoldsATokenLongerThanTheScanThenNoPartOfItIsShown() {
        String token = longToken(30_000);
        assertEquals("Answering 503 to GET /reset/(a token, not shown): down",
                Log.format("Answering 503 to {} {}: {}", "GET", "/reset/" + token, "down"));
        String longer = longToken(60_000);
        assertEquals("Refused /reset/…(" + longer.length() + " more characters)", Log.format("Refused {}", "/reset/"
                + longer));
        String afterText = "/x/" + "b".repeat(100) + "/reset/" + longer + "/end";
        assertEquals("Refused /x/" + "b".repeat(100) + "/reset/…(" + (longer.length() + 4) + " more characters)",
                Log.format("Refused {}", afterText));
    }

    private static String longToken(int claimLength) {
        java.util.Base64.Encoder base64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + base64.encodeToString(("{\"sub\":\"victim\",\"pad\":\"" + "A".repeat(claimLength) + "\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + base64.encodeToString(new byte[32]);
    }

    @Test
    void whenAnArgumentHoldsALoneSurrogateThenItIsEscapedAndAPairIsNot() {
        // A UTF-8 log wrote the lone half as "?", naming another user.
        assertEquals("sub=a\\ud800 b\\udc00 \uD83D\uDE00", Log.format("sub={} {} {}", "a\ud800", "b\udc00", "\uD83D\uDE00"));
    }

    @Test
    void whenTheCapFallsInsideASurrogatePairThenThePairIsCutWhole() {
        String path = "a".repeat(Log.MAX_ARGUMENT_LENGTH - 1) + "\uD83D\uDE00";
        assertEquals("a".repeat(Log.MAX_ARGUMENT_LENGTH - 1) + "…(2 more characters)", Log.format("{}", path));
    }

    @Test
    void whenAnArgumentIsLongerThanTheCapThenItIsCut() {
        String path = "/" + "a".repeat(Log.MAX_ARGUMENT_LENGTH + 99);
        String message = Log.format("{}", path);
        assertEquals(path.substring(0, Log.MAX_ARGUMENT_LENGTH) + "…(100 more characters)", message);
    }

    @Test
    void whenAnArgumentHoldsBidiControlsThenTheyAreEscaped() {
        assertEquals("path /a\\u202eb", Log.format("path {}", "/a\u202eb"));
        assertEquals("path /a\\u200fb\\u200e\\u061c", Log.format("path {}", "/a\u200fb\u200e\u061c"));
    }

    /**
     * Headers jose4j reads though they do not begin {@code {"}} nor name {@code "alg"} as written (the token path's
     * review): the name spelt with an escape, white space before the brace. Such tokens verify, and a path holding one
     * was written whole: the escaped one standing alone, the other glued to other characters.
     */
    @Test
    void whenATokensHeaderSpellsAlgWithAnEscapeOrStartsWithWhiteSpaceThenTheLineDoesNotShowIt() {
        long now = System.currentTimeMillis() / 1000;
        String claims = "{\"iss\":\"" + org.jwtgate.testkit.tokens.TestTokens.ISSUER + "\",\"aud\":\""
                + org.jwtgate.testkit.tokens.TestTokens.AUDIENCE + "\",\"sub\":\"alice\",\"jti\":\"j\",\"iat\":" + now
                + ",\"exp\":" + (now + 600) + "}";
        java.util.List<String> headers = java.util.List.of("{\"\\u0061lg\":\"HS256\"}", "{\"a\\u006cg\":\"HS256\"}",
                " {\"alg\":\"HS256\"}", "\t{\"alg\":\"HS256\"}", "\n{\"alg\":\"HS256\"}", "\r\n {\"alg\":\"HS256\"}",
                "   {\"alg\":\"HS256\"}", " {\"\\u0061lg\":\"HS256\"}");
        try (org.jwtgate.engine.JwtGate gate = org.jwtgate.engine.JwtGate.start(org.jwtgate.config.JwtGateConfig.of(
                new java.util.LinkedHashMap<>(org.jwtgate.testkit.tokens.TestTokens.settings())))) {
            for (String header : headers) {
                String token = org.jwtgate.testkit.tokens.RawJws.hs256(header, claims);
                assertEquals("alice", gate.verify(token).getName(), "a valid token: " + header);
                String signature = token.substring(token.lastIndexOf('.'));
                for (String path : java.util.List.of("/reset/" + token, "/x/session_abc" + token, "/x/ab" + token,
                        "/x/a" + token, "/x/" + "f".repeat(301) + token, "/x/" + token + ".thanks")) {
                    String line = Log.format("Refused {} {}: no token", "GET", path);
                    org.junit.jupiter.api.Assertions.assertFalse(line.contains(signature), line);
                    org.junit.jupiter.api.Assertions.assertTrue(line.contains("(a token, not shown)"), line);
                }
            }
        }
    }

    @Test
    void whenAnExceptionsClassIsAnonymousThenItIsNamedByItsFullName() {
        RuntimeException anonymous = new IllegalStateException("gone") { };
        assertEquals(anonymous.getClass().getName(), Log.className(anonymous));
        assertEquals("IllegalStateException", Log.className(new IllegalStateException("gone")));
    }
}
