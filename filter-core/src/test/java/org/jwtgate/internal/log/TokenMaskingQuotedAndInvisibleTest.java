package org.jwtgate.internal.log;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * docs/monitoring.md, "The audit trail": a token "broken as it was pasted" is written {@code (a token, not shown)};
 * "Logs": the same for a log argument. Here as a mail shows it: quoted in a reply, in a quoted-printable source, with
 * an invisible character that is no format character (a review's finds: each was written whole).
 */
class TokenMaskingQuotedAndInvisibleTest {

    private static final String TOKEN = TestTokens.hs256("alice");
    private static final String CLAIMS = TOKEN.substring(TOKEN.indexOf('.') + 1, TOKEN.lastIndexOf('.'));
    private static final String SIGNATURE = TOKEN.substring(TOKEN.lastIndexOf('.') + 1);

    /**
     * A token quoted in a reply to a mail (or a ticket system that quotes the message replied to): every wrapped line
     * starts with "> ", which at the start of a line is a break as the line break is.
     */
    @Test
    void whenAReasonQuotesAWrappedTokenFromAMailReplyThenTheAuditLineMustNotShowItsSignature() {
        String reason = "as reported:\n> " + wrapped(TOKEN, "\n> ");
        String line = auditLine(reason);
        String logLine = Log.format("Refused {} {}: token {}", "POST", reason, "revoked");
        assertAll(
                () -> assertFalse(line.contains(SIGNATURE), "the audit line holds the token's signature: " + line),
                () -> assertFalse(logLine.contains(SIGNATURE), "the log line holds the token's signature: " + logLine));
    }

    /**
     * A mail's quoted-printable body, as its source shows it (a ticket system importing the raw mail, "show original"):
     * lines wrapped at 76 columns with a soft line break, "=" before CRLF, which is a break as the CRLF is.
     */
    @Test
    void whenAReasonQuotesATokenWrappedWithQuotedPrintableSoftBreaksThenTheAuditLineMustNotShowItsSignature() {
        String line = auditLine("from the mail's source:\r\n" + wrapped(TOKEN, "=\r\n"));
        assertFalse(line.contains(SIGNATURE), "the audit line holds the token's signature: " + line);
    }

    /**
     * "Another invisible character" (as Log and the admin CLI's Printable name them, and write as {@code \\uXXXX}): the
     * combining grapheme joiner U+034F, a variation selector U+FE0F, the Braille blank U+2800, the Hangul filler U+3164:
     * none of Unicode's Cc, Cf, Zs, Zl or Zp, and once the line wrote the whole token with a single escape in it.
     */
    @Test
    void whenATokenHoldsAnotherInvisibleCharacterThenNeitherItsClaimsNorItsSignatureShow() {
        List<Executable> checks = new ArrayList<>();
        for (char invisible : new char[] {'\u034f', '\ufe0f', '\u2800', '\u3164', '\u115f', '\uffa0'}) {
            String pasted = TOKEN.substring(0, 10) + invisible + TOKEN.substring(10);
            String line = auditLine("leaked on a forum: " + pasted);
            String logLine = Log.format("Refused {} {}: token {}", "GET", "/reset/" + pasted, "expired");
            String name = String.format("U+%04X", (int) invisible);
            checks.add(() -> assertFalse(line.contains(SIGNATURE) || line.contains(CLAIMS),
                    name + ": the audit line holds the token's claims and signature: " + line));
            checks.add(() -> assertFalse(logLine.contains(SIGNATURE) || logLine.contains(CLAIMS),
                    name + ": the log line holds the token's claims and signature: " + logLine));
        }
        assertAll(checks);
    }

    private static String wrapped(String token, String lineBreak) {
        StringBuilder wrapped = new StringBuilder();
        for (int i = 0; i < token.length(); i += 76) {
            if (i > 0) {
                wrapped.append(lineBreak);
            }
            wrapped.append(token, i, Math.min(token.length(), i + 76));
        }
        return wrapped.toString();
    }

    private static String auditLine(String reason) {
        String log = CapturedLog.during(() -> AuditLog.info("revocation", "kind", "user", "sub", "alice",
                "actor", "admin:bob", "reason", reason, "durable", "true", "replicas", "1/1")).text();
        return log.lines().filter(l -> l.contains("AUDIT revocation")).findFirst()
                .orElseThrow(() -> new AssertionError(log));
    }
}
