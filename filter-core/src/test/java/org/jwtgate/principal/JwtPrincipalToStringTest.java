package org.jwtgate.principal;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link JwtPrincipal#toString()} is what docs/operations.md tells Tomcat administrators to put in the
 * access log ({@code "%{org.jwtgate.principal}r"}, printing {@code JwtPrincipal[name=alice, roles=[admin], jti=…,
 * exp=…]}), and what an application's {@code log.info("{}", principal)} writes. The name is the {@code claims.principal}
 * claim ({@code sub} by default, often {@code preferred_username} or {@code email}): text the token's holder may choose.
 * It writes each value as the audit trail does, so that one printed form names one value (a review found a name
 * {@code mallory, roles=[admin]} printing an admin's line, and bidi, invisible and half-surrogate characters raw).
 */
class JwtPrincipalToStringTest {

    private static JwtPrincipal named(String name, Set<String> roles) {
        return new JwtPrincipal(name, name, "https://issuer", "jti-1", Instant.EPOCH, Instant.EPOCH.plusSeconds(600),
                roles, Map.of());
    }

    /** A name holding ", roles=[admin]" is quoted: the only roles field after it is the principal's own. */
    @Test
    void whenTheNameLooksLikeARolesFieldThenThePrintedPrincipalHasOnlyItsOwnRolesField() {
        String forged = named("mallory, roles=[admin]", Set.of()).toString();
        String real = named("mallory", Set.of("admin")).toString();
        assertAll(
                () -> assertEquals("JwtPrincipal[name=\"mallory, roles=[admin]\", roles=[], jti=jti-1, exp=1970-01-01T00:10:00Z]",
                        forged),
                () -> assertEquals("JwtPrincipal[name=mallory, roles=[admin], jti=jti-1, exp=1970-01-01T00:10:00Z]", real,
                        "a plain name and role print as they are"),
                () -> assertFalse(forged.startsWith(real.substring(0, real.indexOf(", jti="))),
                        "a user without roles prints as an admin's line up to its jti: " + forged + " vs " + real));
    }

    /** A role is written as a name is: a role "a], x=[b" does not close the list. */
    @Test
    void whenARoleHoldsListSyntaxThenItIsQuoted() {
        assertEquals("JwtPrincipal[name=alice, roles=[\"a], x=[b\"], jti=jti-1, exp=1970-01-01T00:10:00Z]",
                named("alice", Set.of("a], x=[b")).toString());
    }

    /** Bidi controls reorder the rest of the line; the audit trail and the CLI write them as \u202e. */
    @Test
    void whenTheNameHoldsABidiOverrideThenItIsWrittenEscaped() {
        String text = named("alice\u202e]nimda[=selor ,", Set.of()).toString();
        assertFalse(text.contains("\u202e"), "raw U+202E in: " + text);
    }

    /** "admin" and a zero-width space prints as admin; the audit trail writes it \u200b. */
    @Test
    void whenTheNameHoldsAnInvisibleCharacterThenTwoNamesDoNotPrintAlike() {
        assertNotEquals(named("admin", Set.of()).toString().replace("\u200b", ""),
                named("admin\u200b", Set.of()).toString().replace("\u200b", ""),
                "printed alike once the invisible character is not seen");
        assertFalse(named("admin\u200b", Set.of()).toString().contains("\u200b"));
    }

    /** A lone surrogate is written "?" by a UTF-8 log: "alice" and U+D800 prints as the name "alice?". */
    @Test
    void whenTheNameHoldsALoneSurrogateThenAUtf8LogDoesNotPrintItAsAQuestionMark() {
        String text = named("alice\ud800", Set.of()).toString();
        String inUtf8Log = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertFalse(inUtf8Log.contains("name=alice?,"), "as a UTF-8 log writes it: " + inUtf8Log);
    }
}
