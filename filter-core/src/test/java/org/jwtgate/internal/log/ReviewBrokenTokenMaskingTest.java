package org.jwtgate.internal.log;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Review probe (docs/monitoring.md, "The audit trail": "A token given as a value (a subject, an actor, a reason quoting
 * a leaked token) is written as (a token, not shown)"; "Logs": "a token in it … is written (a token, not shown)").
 *
 * <p>A token quoted as it is usually pasted — wrapped at 76 columns (a mail, a ticket, {@code base64 -w76}), or copied
 * from a web page that put a soft hyphen (U+00AD) or a zero-width space (U+200B) at a break — is not recognised: the
 * line writes its header, claims and signature, the break as an escape ({@code \u000a}, {@code \u00ad}). Whoever
 * reads the audit file takes the escapes out and has the working token. These tests fail on the current code.
 */
class ReviewBrokenTokenMaskingTest {

    private static final String TOKEN = TestTokens.hs256("alice");
    private static final String SIGNATURE = TOKEN.substring(TOKEN.lastIndexOf('.') + 1);

    @Test
    void whenAReasonQuotesATokenWrappedAt76ColumnsThenTheAuditLineDoesNotShowItsSignature() {
        StringBuilder wrapped = new StringBuilder();
        for (int i = 0; i < TOKEN.length(); i += 76) {
            wrapped.append(TOKEN, i, Math.min(TOKEN.length(), i + 76)).append('\n');
        }
        String line = auditLine("leaked on the support ticket:\n" + wrapped);
        assertFalse(line.contains(SIGNATURE), "the audit line holds the token's signature (and claims): " + line);
    }

    @Test
    void whenAReasonQuotesATokenWithASoftHyphenThenTheAuditLineDoesNotShowItsSignature() {
        // A browser's copy of a long word broken by the page's hyphenation carries U+00AD where it broke.
        String pasted = TOKEN.substring(0, 60) + '\u00ad' + TOKEN.substring(60);
        String line = auditLine("leaked on a forum: " + pasted);
        assertFalse(line.contains(SIGNATURE), "the audit line holds the token's signature (and claims): " + line);
    }

    @Test
    void whenALogArgumentHoldsATokenWithAZeroWidthSpaceThenTheLineDoesNotShowItsSignature() {
        String pasted = TOKEN.replace(".", "\u200b.");
        String line = Log.format("Refused {} {}: token {}", "GET", "/reset/" + pasted, "expired");
        assertFalse(line.contains(SIGNATURE), "the log line holds the token's signature (and claims): " + line);
    }

    private static String auditLine(String reason) {
        String log = CapturedLog.during(() -> AuditLog.info("revocation", "kind", "user", "sub", "alice",
                "actor", "admin:bob", "reason", reason, "durable", "true", "replicas", "1/1")).text();
        return log.lines().filter(l -> l.contains("AUDIT revocation")).findFirst()
                .orElseThrow(() -> new AssertionError(log));
    }
}
