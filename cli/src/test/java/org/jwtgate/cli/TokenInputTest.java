package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Whether a value looks like a token, as every argument, {@code --set} value and printed claim is asked. A run of
 * {@code ey} (the start of every JOSE header, and of much base64 text) made each one a candidate checked in full:
 * 60,000 of them took 17.5 s of CPU before the command did anything (an admin CLI probe's find). The bound here is a
 * guard against that blow-up coming back, with a wide margin: it takes milliseconds now.
 */
class TokenInputTest {

    private static final String EYS = "ey".repeat(60_000); // 120,000 characters, under Linux's 128 KiB per argument

    @Test
    void whenARunOfEyIsLongThenItIsScannedAtOnce() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(TokenInput.looksLikeToken(EYS)));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(TokenInput.looksLikeToken(EYS + ".x.y")));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(TokenInput.looksLikeToken(EYS + "." + EYS + ".y")));
    }

    /** The review of the linear version: it looked for dots beyond each run, quadratic in the number of runs. */
    @Test
    void whenAValueHoldsManyShortRunsThenItIsScannedAtOnce() {
        String afterADot = "." + " x".repeat(250_000);
        String beforeADot = " xey".repeat(125_000) + ".";
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(TokenInput.looksLikeToken(afterADot)));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(TokenInput.looksLikeToken(beforeADot)));
    }

    @Test
    void whenAnOptionValueIsALongRunOfEyThenItIsRefusedAtOnce() {
        CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> CliRun.of("gen-secret", "--bits", EYS));
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.err());
    }

    @Test
    void whenATokenIsGluedAfterALongRunOfEyThenItIsStillFound() {
        String token = TestTokens.hs256("alice");
        assertTrue(TokenInput.looksLikeToken("ey".repeat(5_000) + token));
        assertTrue(TokenInput.looksLikeToken("sid_" + "ey".repeat(5_001) + "x" + token + ".txt"));
        assertTrue(TokenInput.looksLikeToken("e".repeat(3) + token));
        assertFalse(TokenInput.looksLikeToken("ey".repeat(5_000) + token.substring(0, token.lastIndexOf('.'))),
                "one dot short");
        assertFalse(TokenInput.looksLikeToken("john.doe.smith"));
    }

    /** A token broken as pasted (wrapped by a mail, a space, a zero-width space): a token once its breaks are out. */
    @Test
    void whenATokenIsBrokenByWhiteSpaceOrAnInvisibleCharacterThenItStillLooksLikeOne() {
        String token = TestTokens.hs256("alice");
        for (String brk : new String[] {"\n", "\r\n", " ", "\t", "\u200b", "\u00ad", "\n  ", "\udb40\udc20"}) {
            assertTrue(TokenInput.looksLikeToken(token.substring(0, 76) + brk + token.substring(76)), brk);
            assertTrue(TokenInput.looksLikeToken("Bearer " + token.substring(0, 20) + brk + token.substring(20)), brk);
        }
        assertFalse(TokenInput.looksLikeToken("john doe.smith.x"));
        assertFalse(TokenInput.looksLikeToken("alice smith"));
        // Linear: a long text of breaks and ey is joined once and scanned once more.
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertFalse(TokenInput.looksLikeToken("e y".repeat(40_000) + ".x.y")));
    }

    /** At a terminal the token is read with echo off (Console.readPassword); the array read is wiped. */
    @Test
    void whenTheTokenIsReadAtATerminalThenItIsReadHiddenAndTheCharactersAreWiped() {
        char[] typed = "Bearer abc.def.ghi".toCharArray();
        assertEquals("Bearer abc.def.ghi", TokenInput.hiddenLine(() -> typed, new java.io.StringReader("")));
        assertEquals("\0".repeat(typed.length), new String(typed));
        assertEquals("", TokenInput.hiddenLine(() -> null, new java.io.StringReader("")), "Ctrl-D: no token");
        char[] pasted = "a.b.c".toCharArray();
        CliException more = org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
                () -> TokenInput.hiddenLine(() -> pasted, new java.io.StringReader("second.token.x\n")));
        assertTrue(more.getMessage().contains("more than one line"), more.getMessage());
        assertEquals("\0".repeat(pasted.length), new String(pasted));
    }
}
