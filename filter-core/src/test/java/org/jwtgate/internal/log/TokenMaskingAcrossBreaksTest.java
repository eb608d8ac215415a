package org.jwtgate.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A token quoted as it is usually pasted (docs/monitoring.md, "The audit trail" and "Logs"): wrapped at 76 columns (a
 * mail, a ticket, {@code base64 -w76}), or copied from a web page that put a soft hyphen (U+00AD) or a zero-width space
 * (U+200B) at a break. It was not recognised: the line wrote its header, claims and signature, each break as an escape
 * ({@code \u000a}, {@code \u00ad}), and whoever read the audit file took the escapes out and had the working token (a
 * review's find).
 */
class TokenMaskingAcrossBreaksTest {

    private static final String TOKEN = TestTokens.hs256("alice");
    private static final String SIGNATURE = TOKEN.substring(TOKEN.lastIndexOf('.') + 1);

    @Test
    void whenAReasonQuotesATokenWrappedAt76ColumnsThenTheAuditLineDoesNotShowItsSignature() {
        String line = auditLine("leaked on the support ticket:\n" + wrapped(TOKEN, "\n"));
        assertFalse(line.contains(SIGNATURE), "the audit line holds the token's signature (and claims): " + line);
        assertTrue(line.contains(" reason=\"leaked on the support ticket:\\u000a(a token, not shown)\\u000a\" durable=true"),
                line);
    }

    @Test
    void whenAReasonQuotesATokenWithASoftHyphenThenTheAuditLineDoesNotShowItsSignature() {
        // A browser's copy of a long word broken by the page's hyphenation carries U+00AD where it broke.
        String pasted = TOKEN.substring(0, 60) + '\u00ad' + TOKEN.substring(60);
        String line = auditLine("leaked on a forum: " + pasted);
        assertFalse(line.contains(SIGNATURE), "the audit line holds the token's signature (and claims): " + line);
        assertTrue(line.contains(" reason=\"leaked on a forum: (a token, not shown)\" durable=true"), line);
    }

    @Test
    void whenALogArgumentHoldsATokenWithAZeroWidthSpaceThenTheLineDoesNotShowItsSignature() {
        String pasted = TOKEN.replace(".", "\u200b.");
        String line = Log.format("Refused {} {}: token {}", "GET", "/reset/" + pasted, "expired");
        assertFalse(line.contains(SIGNATURE), "the log line holds the token's signature (and claims): " + line);
        assertEquals("Refused GET /reset/(a token, not shown): token expired", line);
    }

    @Test
    void whenABrokenTokenIsFollowedByASentenceThenTheSentenceStillShows() {
        String crlf = wrapped(TOKEN, "\r\n").strip();
        assertEquals("\"leaked: (a token, not shown) by bob, see INC-4711\"",
                AuditLog.shown("leaked: " + crlf + " by bob, see INC-4711"));
        assertEquals("\"leaked: (a token, not shown).\\u000a\\u000aRotate the key.\"",
                AuditLog.shown("leaked: " + wrapped(TOKEN, "\n").strip() + ".\n\nRotate the key."), "a blank line ends it");
        assertEquals("\"Bearer\\u00a0(a token, not shown) (rotate)\"",
                AuditLog.shown("Bearer\u00a0" + TOKEN.substring(0, 30) + "\u200b" + TOKEN.substring(30) + " (rotate)"));
        // Indented continuation lines and tabs inside; a JWE wrapped too.
        String jwe = b64("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}") + "..aXY.Y2lwaGVyX3RleHRfYmVpbmdfbG9uZw.dGFn";
        assertEquals("\"x: (a token, not shown)\"", AuditLog.shown("x: " + jwe.substring(0, 20) + "\n    " + jwe.substring(20, 50)
                + "\t" + jwe.substring(50)));
    }

    @Test
    void whenWordsAndDottedNamesAreSeparatedByBreaksThenTheyStayAsTheyAre() {
        for (String text : new String[] {"john.doe smith.\nsee e30.e30 and e30.e30.e30.e30", "eyJ. eyJ. eyJ",
                "a.b\u00adc.d\u200be", "https://login.example.co.uk/realms/a.b.c\nhttps://x.example/y.z"}) {
            assertEquals(AuditLog.quoted(text), AuditLog.shown(text), text);
        }
        assertEquals("GET /a.b c.d\\u000ae.f", Log.format("GET {}", "/a.b c.d\ne.f"));
    }

    @Test
    void whenAWholeTokenStandsBesideBreaksThenItIsMaskedAsBefore() {
        assertEquals("\"leaked on a forum: Bearer (a token, not shown) (rotate)\"",
                AuditLog.shown("leaked on a forum: Bearer " + TOKEN + " (rotate)"));
        assertEquals("\"(a token, not shown)\\u000a(a token, not shown) thanks\"", AuditLog.shown(TOKEN + "\n" + TOKEN + " thanks"));
    }

    @Test
    void whenAValueIsLongAndFullOfBreaksThenItIsShownAtOnce() {
        for (String huge : java.util.List.of("ey\n".repeat(300_000), "a.\u200b".repeat(300_000),
                ("eyJ" + "A".repeat(70) + "\n").repeat(10_000), "eyJhbGciOiJIUzI1NiJ9 .".repeat(20_000))) {
            Assertions.assertTimeoutPreemptively(Duration.ofMillis(1000), () -> AuditLog.shown(huge));
            Assertions.assertTimeoutPreemptively(Duration.ofMillis(1000), () -> Log.format("{}", huge));
        }
    }

    private static String wrapped(String token, String lineBreak) {
        StringBuilder wrapped = new StringBuilder();
        for (int i = 0; i < token.length(); i += 76) {
            wrapped.append(token, i, Math.min(token.length(), i + 76)).append(lineBreak);
        }
        return wrapped.toString();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String auditLine(String reason) {
        String log = CapturedLog.during(() -> AuditLog.info("revocation", "kind", "user", "sub", "alice",
                "actor", "admin:bob", "reason", reason, "durable", "true", "replicas", "1/1")).text();
        return log.lines().filter(l -> l.contains("AUDIT revocation")).findFirst()
                .orElseThrow(() -> new AssertionError(log));
    }
}
