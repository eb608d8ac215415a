package org.jwtgate.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

class AuditLogTest {

    @Test
    void whenValuesHoldQuotesOrNewlinesThenTheyCannotForgeAFieldOrALine() {
        String line = AuditLog.line("revocation", "sub", "alice\" actor=\"root", "reason", "first\nAUDIT forged");
        assertTrue(line.startsWith("AUDIT revocation sub=\"alice\\\" actor=\\\"root\" reason=\"first\\u000aAUDIT forged\""), line);
        assertFalse(line.contains("\n"), line);
    }

    @Test
    void whenAValueIsNullThenItsFieldIsLeftOut() {
        String line = AuditLog.line("revocation", "sub", "alice", "actor", null);
        assertTrue(line.startsWith("AUDIT revocation sub=alice instance="), line);
    }

    @Test
    void whenTheSourceNamesAnApplicationThenTheLineEndsWithItsFilterAndContextBeforeTheInstance() {
        // Two applications of one JVM (two WARs writing to one catalina.out) wrote identical lines.
        AuditSource shop = AuditSource.of(new Object());
        shop.identify("jwtgate", "/shop");
        String line = AuditLog.line(shop, "revocation", "kind", "user", "sub", "alice", "durable", "true");
        assertTrue(line.startsWith("AUDIT revocation kind=user sub=alice durable=true filter=jwtgate context=/shop instance="),
                line);
        AuditSource root = AuditSource.of(new Object());
        root.identify("my gate", "");
        assertTrue(AuditLog.line(root, "revocation", "sub", "alice").startsWith(
                "AUDIT revocation sub=alice filter=\"my gate\" context=/ instance="), "quoted as any value; root is /");
        AuditSource outside = AuditSource.of(new Object());
        outside.identify("jwtgate", null);
        assertTrue(AuditLog.line(outside, "revocation", "sub", "alice").startsWith(
                "AUDIT revocation sub=alice filter=jwtgate instance="), "no context outside a servlet container");
        assertTrue(AuditLog.line(AuditSource.of(new Object()), "revocation", "sub", "alice").startsWith(
                "AUDIT revocation sub=alice instance="), "a service no front end named: neither field");
    }

    @Test
    void whenAValueHoldsOnlyIdOrUrlCharactersThenItIsShownAsItIs() {
        assertEquals("https://issuer.example/realm", AuditLog.shown("https://issuer.example/realm"));
        assertEquals("\"two words\"", AuditLog.shown("two words"));
        assertEquals("\"a=b\"", AuditLog.shown("a=b"));
    }

    @Test
    void whenQuotedThenBackslashesAreEscaped() {
        assertEquals("\"a\\\\b\"", AuditLog.quoted("a\\b"));
    }

    @Test
    void whenAValueHoldsBidiControlsThenTheyAreEscaped() {
        // U+202E (right-to-left override) would make a viewer show "sub=eilA" for what follows, or hide text.
        assertEquals("\"alice\\u202e \\u2066x\\u2069\"", AuditLog.quoted("alice\u202e \u2066x\u2069"));
    }

    @Test
    void whenAValueIsLongerThanTheCapThenItIsCut() {
        String reason = "r".repeat(AuditLog.MAX_VALUE_LENGTH + 10);
        assertEquals("\"" + "r".repeat(AuditLog.MAX_VALUE_LENGTH) + "…(10 more characters)\"", AuditLog.shown(reason));
    }

    @Test
    void whenValuesNeedManyEscapesThenTheLoggedLineStillEndsWithEveryField() {
        // Each value is cut at 1,024 characters, but a control character is written as six (backslash, u, four hex
        // digits): a sub and a reason full of line breaks passed Log's 8 KiB cap for one argument, which cut the
        // line inside the reason's quotes, before durable, replicas and instance.
        String sub = "\n".repeat(AuditLog.MAX_VALUE_LENGTH);
        String reason = "\t".repeat(AuditLog.MAX_VALUE_LENGTH);
        String log = CapturedLog.during(() -> AuditLog.info("revocation", "kind", "user", "sub", sub,
                "actor", "admin:bob", "reason", reason, "durable", "true", "replicas", "1/1")).text();
        String line = log.lines().filter(l -> l.contains("AUDIT revocation")).findFirst().orElseThrow(() -> new AssertionError(log));
        assertTrue(line.contains(" durable=true replicas=1/1 instance="), line.substring(Math.max(0, line.length() - 200)));
        assertFalse(line.contains("more characters)"), "the line is not cut");
    }
    @Test
    void whenAValueHoldsATokenThenTheLoggedLineDoesNotShowIt() {
        // RevocationService.revokeUser(token), a token where the subject goes (the CLI refuses it, the API did not),
        // or a reason quoting the leaked token: the audit line wrote the whole token.
        String token = org.jwtgate.testkit.tokens.TestTokens.hs256("alice");
        String log = CapturedLog.during(() -> AuditLog.info("revocation", "kind", "user", "sub", token,
                "actor", "admin:bob", "reason", "leaked on a forum: Bearer " + token + " (rotate)",
                "durable", "true", "replicas", "1/1")).text();
        String line = log.lines().filter(l -> l.contains("AUDIT revocation")).findFirst().orElseThrow(() -> new AssertionError(log));
        String signature = token.substring(token.lastIndexOf('.') + 1);
        assertFalse(line.contains(signature), "the audit line holds the token: " + line);
        assertTrue(line.contains(" sub=\"(a token, not shown)\" actor=admin:bob reason=\"leaked on a forum: Bearer "
                + "(a token, not shown) (rotate)\" durable=true replicas=1/1 instance="), line);
    }

    @Test
    void whenAValueHoldsALoneSurrogateThenItIsWrittenAsItsCodeNotAQuestionMark() {
        // A UTF-8 log wrote "a" and U+D800 as "a?": the audit line named another user than the one revoked.
        assertEquals("\"a\\ud800\"", AuditLog.shown("a\ud800"));
        assertEquals("\"\\udc00b\"", AuditLog.shown("\udc00b"));
        assertEquals("\"\uD83D\uDE00\"", AuditLog.shown("\uD83D\uDE00"), "a pair stays as it is");
    }

    @Test
    void whenAValueHoldsAnInvisibleCharacterOrAnotherSpaceThenItIsWrittenAsItsCode() {
        // Written raw, "mallory" and U+200B read as mallory in the audit trail: another user than the one revoked.
        assertEquals("\"mallory\\u200b\"", AuditLog.shown("mallory\u200b"));
        assertEquals("\"\\ufeffbob\"", AuditLog.shown("\ufeffbob"));
        assertEquals("\"a\\u00a0b\"", AuditLog.shown("a\u00a0b"));
        assertEquals("\"alice\\udb40\\udc41\"", AuditLog.shown("alice\uDB40\uDC41"), "a tag character: both halves");
        assertEquals("\"bob \"", AuditLog.shown("bob "), "quoted: its space shows");
        assertEquals("\"mallory\\u3164\"", AuditLog.shown("mallory\u3164"), "a Hangul filler, a letter that shows nothing");
        assertEquals("\"mallory\\u2800\"", AuditLog.shown("mallory\u2800"), "the Braille blank");
        // A joiner too: "admin" and U+200D read as admin (a Persian name's shows as its code, and stays one name).
        assertEquals("\"\u0645\u06cc\\u200c\u062e\"", AuditLog.shown("\u0645\u06cc\u200c\u062e"));
        assertEquals("\"admin\\u200d\"", AuditLog.shown("admin\u200d"));
    }

    @Test
    void whenATokenEndsASentenceThenItsFullStopDoesNotShowIt() {
        // A token pasted with the full stop after it ("...sig.") has three dots: it was taken for no token, and shown.
        String token = org.jwtgate.testkit.tokens.TestTokens.hs256("alice");
        assertEquals("\"(a token, not shown).\"", AuditLog.shown(token + "."));
        assertTrue(AuditLog.shown("leaked: " + token + "...").startsWith("\"leaked: (a token, not shown)."));
        assertEquals("\".(a token, not shown)\"", AuditLog.shown("." + token));
        String unsecured = token.substring(0, token.lastIndexOf('.') + 1); // alg none: an empty signature
        assertEquals("\"(a token, not shown)\"", AuditLog.shown(unsecured));
        assertEquals("\"(a token, not shown).\"", AuditLog.shown(unsecured + "."));
    }

    /**
     * A token glued after a long run (a hash, a session handle): only the first 64 characters of a run were looked at
     * for a header, and the token after a SHA-256 in hex was shown whole (the operations review).
     */
    @Test
    void whenATokenIsGluedAfterARunOfAnyLengthThenItIsNotShown() {
        String token = org.jwtgate.testkit.tokens.TestTokens.hs256("alice");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        for (int length : new int[] {63, 64, 65, 1000, 15_000}) {
            String prefix = "0123456789abcdef".repeat(length / 16 + 1).substring(0, length);
            String audit = AuditLog.shown("leaked in session_" + prefix + token);
            assertFalse(audit.contains(signature), length + ": " + audit);
            String log = Log.format("Refused {} {}: no token", "GET", "/download/" + prefix + token);
            assertFalse(log.contains(signature), length + ": " + log);
            // Longer ones are cut (1,024 characters an audit value, 8,192 a log argument).
            if (length <= 65) {
                assertEquals("\"leaked in session_" + prefix + "(a token, not shown)\"", audit);
            }
            if (length <= 1000) {
                assertEquals("Refused GET /download/" + prefix + "(a token, not shown): no token", log);
            }
        }
        // Headers of every alignment, after random runs; and runs of header-like text that are no header.
        java.util.Random random = new java.util.Random(20261206);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_eyJw";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder prefix = new StringBuilder();
            for (int n = random.nextInt(300); n > 0; n--) {
                prefix.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String header = random.nextBoolean() ? "{\"alg\":\"HS256\"}" : "{ \"kid\" : \"k" + i + "\", \"alg\":\"ES256\" }\n";
            String glued = b64(header) + "." + b64("{\"sub\":\"alice\"}") + ".c2lnbmF0dXJlX2" + i;
            String shown = AuditLog.shown(prefix + glued + "!");
            assertFalse(shown.contains("c2lnbmF0dXJlX2" + i), prefix + " -> " + shown);
        }
        assertEquals("eyJ".repeat(300) + ".a.b", AuditLog.shown("eyJ".repeat(300) + ".a.b"), "no header");
    }

    @Test
    void whenATokenIsGluedToOtherCharactersThenItIsNotShownEither() {
        // A reason quoting a URL or a header: the token was part of a longer run of token characters, and shown whole.
        String token = org.jwtgate.testkit.tokens.TestTokens.hs256("alice");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        for (String reason : java.util.List.of("Bearer%20" + token, "cb?access_token%3D" + token + "%26state%3Dx",
                "id_token." + token, token + ".thanks", "leaked in redirect: https://app.example/cb#id_token=" + token)) {
            String shown = AuditLog.shown(reason);
            assertFalse(shown.contains(signature), shown);
            assertTrue(shown.contains("(a token, not shown)"), shown);
        }
        assertEquals("\"Bearer%20(a token, not shown)\"", AuditLog.shown("Bearer%20" + token));
        assertEquals("\"id_token.(a token, not shown)\"", AuditLog.shown("id_token." + token + ".thanks"), "the run with it");
        assertEquals("\"leaked: (a token, not shown)\"", AuditLog.shown("leaked: " + token + token + token),
                "tokens glued to one another: none shows its claims");
        // A header whose kid is "enc" is no JWE header: before, its glued token needed five segments and was shown.
        String encKid = b64("{\"alg\":\"HS256\",\"kid\":\"enc\"}") + "." + b64("{\"sub\":\"alice\"}") + ".c2lnbmF0dXJl";
        assertEquals("\"Bearer%20(a token, not shown)\"", AuditLog.shown("Bearer%20" + encKid));
        String jwe = b64("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}") + "..aXY.Y2lwaGVy.dGFn";
        assertEquals("\"x%3D(a token, not shown)\"", AuditLog.shown("x%3D" + jwe));
    }

    @Test
    void whenAValueIsMegabytesLongThenItIsShownAtOnce() {
        // Before: every "ey" was a candidate header scanned to its end, and trailing dots were trimmed one by one, each
        // time counting them again: 256 KB took seconds, a megabyte minutes, on the caller's thread.
        for (String huge : java.util.List.of("ey".repeat(500_000), "a" + ".".repeat(1_000_000),
                ("eyJ" + "A".repeat(2000) + ".").repeat(500), "ey".repeat(16_384) + ".a.b" + "x".repeat(1_000_000),
                "ey".repeat(8_192) + ".a.b " + "ey".repeat(8_192) + ".a.b")) {
            String shown = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofMillis(500),
                    () -> AuditLog.shown(huge));
            assertTrue(shown.endsWith(" more characters)\""), shown.substring(Math.max(0, shown.length() - 40)));
        }
        String token = org.jwtgate.testkit.tokens.TestTokens.hs256("alice");
        assertTrue(AuditLog.shown("x".repeat(900) + " " + token + " " + "y".repeat(100_000)).contains("(a token, not shown)"));
        assertEquals("\"" + "r".repeat(AuditLog.MAX_VALUE_LENGTH) + "…(" + (AuditLog.LONGEST_SCANNED * 2 - AuditLog.MAX_VALUE_LENGTH)
                + " more characters)\"", AuditLog.shown("r".repeat(AuditLog.LONGEST_SCANNED * 2)), "counted whole");
    }

    @Test
    void whenTheScanLimitCutsATokenThenNoPartOfItIsShown() {
        // Tokens shrink to 20 characters each: a value of tokens up to the limit is shown in full below the cut, and
        // the token the limit cuts through must not show its header and claims.
        String token = org.jwtgate.testkit.tokens.TestTokens.hs256("alice");
        StringBuilder value = new StringBuilder();
        while (value.length() < AuditLog.LONGEST_SCANNED - token.length() / 2) {
            value.append(token).append(' ');
        }
        String cut = token + " and the end of the reason";
        String shown = AuditLog.shown(value + cut);
        assertFalse(shown.contains(token.substring(0, 20)), shown.substring(Math.max(0, shown.length() - 200)));
        assertTrue(shown.endsWith(" more characters)\""), shown.substring(Math.max(0, shown.length() - 80)));
        String beyond = AuditLog.shown("x".repeat(AuditLog.LONGEST_SCANNED * 3));
        assertEquals("\"…(" + AuditLog.LONGEST_SCANNED * 3 + " more characters)\"", beyond, "a run longer still: none of it");
    }

    @Test
    void whenTheRestBeyondTheScanLimitIsShortThenItIsCountedNotDropped() {
        // Before: a masked head and a rest under 1,024 characters in all were shown as the head alone, with no mark.
        String token = b64("{\"alg\":\"HS256\"}") + "." + b64("{\"sub\":\"" + "a".repeat(900) + "\"}") + ".c2ln";
        StringBuilder value = new StringBuilder();
        while (value.length() + token.length() + 1 < AuditLog.LONGEST_SCANNED) {
            value.append(token).append(' ');
        }
        value.append(" ".repeat(AuditLog.LONGEST_SCANNED - value.length())); // the limit falls on the reason's start
        String shown = AuditLog.shown(value + "revoked by bob for incident INC-4711");
        assertTrue(shown.endsWith(" more characters)\""), shown.substring(Math.max(0, shown.length() - 80)));
    }

    @Test
    void whenAGluedTokenHasALargeHeaderThenItIsNotShownEither() {
        // A header with an x5c certificate chain runs to thousands of characters.
        String header = b64("{\"alg\":\"RS256\",\"x5c\":[\"" + "A".repeat(2500) + "\"]}");
        String token = header + "." + b64("{\"sub\":\"alice\"}") + ".c2lnbmF0dXJl";
        assertEquals("\"Bearer%20(a token, not shown)\"", AuditLog.shown("Bearer%20" + token));
    }

    private static String b64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void whenAValueOnlyLooksLikeDottedSegmentsThenItIsShownAsItIs() {
        // Dotted names and URLs are no tokens: their first segment is no JOSE header.
        assertEquals("john.doe.smith", AuditLog.shown("john.doe.smith"));
        assertEquals("https://login.example.co.uk/realms/a.b.c", AuditLog.shown("https://login.example.co.uk/realms/a.b.c"));
        assertEquals("\"e30.e30 and e30.e30.e30.e30\"", AuditLog.shown("e30.e30 and e30.e30.e30.e30"));
    }

    @Test
    void whenAFilterNameOrContextPathHoldsQuotesSpacesEqualsLineBreaksOrBidiThenTheyStayInsideTheirQuotedValue() {
        AuditSource source = AuditSource.of(new Object());
        source.identify("x\" instance=forged\nAUDIT revocation sub=mallory", "/c tx=\u202e\u2028é");
        String line = AuditLog.line(source, "revocation", "sub", "alice");
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("AUDIT revocation sub=alice filter=\"x\\\" instance=forged\\u000aAUDIT revocation"
                + " sub=mallory\" context=\"/c tx=\\u202e\\u2028é\" instance="), line);
    }

    @Test
    void whenTheServiceIsNamedThenTheMapDoesNotHoldTheServiceOnceItsGateIsGone() throws InterruptedException {
        WeakReference<RevocationService> service;
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(TestTokens.settings()))) {
            AuditSource.of(gate.revocation()).identify("jwtgate", "/shop");
            service = new WeakReference<>(gate.revocation());
        }
        for (int i = 0; i < 50 && service.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(service.get(), "the static map keeps a revocation service (and its store) after its gate closed");
    }
}
