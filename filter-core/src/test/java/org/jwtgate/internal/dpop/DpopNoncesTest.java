package org.jwtgate.internal.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stateless nonces: accepted by any holder of the secret while young, refused when stale or forged. */
class DpopNoncesTest {

    private static final byte[] SECRET = "nonce-secret-0123456789abcdefghij".getBytes(StandardCharsets.UTF_8);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static DpopNonces at(Instant now, byte[] secret) {
        return new DpopNonces(secret, 300, 30, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void whenIssuedThenAnotherInstanceWithTheSameSecretAcceptsIt() {
        String nonce = at(T0, SECRET).issue();
        assertEquals(34, nonce.length());
        assertTrue(nonce.matches("[A-Za-z0-9_-]+"), nonce);
        assertEquals(DpopNonces.Verdict.FRESH, at(T0.plusSeconds(10), SECRET.clone()).check(nonce));
    }

    @Test
    void whenHalfTheLifetimeHasPassedThenItIsStillValidButDueForRenewal() {
        String nonce = at(T0, SECRET).issue();
        assertEquals(DpopNonces.Verdict.FRESH, at(T0.plusSeconds(149), SECRET).check(nonce));
        assertEquals(DpopNonces.Verdict.RENEW, at(T0.plusSeconds(150), SECRET).check(nonce));
        assertEquals(DpopNonces.Verdict.RENEW, at(T0.plusSeconds(330), SECRET).check(nonce));
    }

    @Test
    void whenOlderThanLifetimePlusSkewThenStale() {
        String nonce = at(T0, SECRET).issue();
        assertEquals(DpopNonces.Verdict.STALE, at(T0.plusSeconds(331), SECRET).check(nonce));
    }

    @Test
    void whenIssuedByAClockFurtherAheadThanTheSkewThenStale() {
        String nonce = at(T0.plusSeconds(31), SECRET).issue();
        assertEquals(DpopNonces.Verdict.STALE, at(T0, SECRET).check(nonce));
        assertEquals(DpopNonces.Verdict.FRESH, at(T0, SECRET).check(at(T0.plusSeconds(30), SECRET).issue()));
    }

    @Test
    void whenAnotherSecretIssuedItThenInvalid() {
        byte[] other = "other-secret-0123456789abcdefghij".getBytes(StandardCharsets.UTF_8);
        assertEquals(DpopNonces.Verdict.INVALID, at(T0, SECRET).check(at(T0, other).issue()));
    }

    @Test
    void whenTheTimeIsChangedThenTheMacNoLongerMatches() {
        byte[] bytes = Base64.getUrlDecoder().decode(at(T0, SECRET).issue());
        bytes[8]++; // a later issue time, to extend the nonce's life
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertEquals(DpopNonces.Verdict.INVALID, at(T0, SECRET).check(forged));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
            "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void whenNotANonceOfOursThenInvalid(String nonce) {
        assertEquals(DpopNonces.Verdict.INVALID, at(T0, SECRET).check(nonce));
    }

    @Test
    void whenNoNonceThenMissing() {
        assertEquals(DpopNonces.Verdict.MISSING, at(T0, SECRET).check(null));
    }

    @Test
    void whenIssuedInDifferentSecondsThenNoncesDiffer() {
        assertNotEquals(at(T0, SECRET).issue(), at(T0.plusSeconds(1), SECRET).issue());
    }

    @Test
    void whenSecretShorterThan32BytesThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> at(T0, new byte[31]));
    }
}
