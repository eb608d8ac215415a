package org.jwtgate.testkit.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HostileTokensTest {

    @Test
    void whenAClaimsOverrideHasNoValueThenIllegalArgumentNamesIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HostileTokens.claims("sub", "\"alice\"", "exp"));

        assertEquals("claims overrides come in pairs of a name and a raw JSON value (or null): [exp] has no value",
                refused.getMessage());
    }

    @Test
    void whenMoreSegmentsAreKeptThanTheTokenHasThenIllegalArgumentSaysHowManyItHas() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HostileTokens.segmentsOf("aGVhZA.Ym9keQ", 3));

        assertEquals("keep must be from 0 to the token's 2 segments: 3", refused.getMessage());
    }

    @Test
    void whenTwoSegmentsAreKeptThenTheSignatureAndItsDotAreGone() {
        assertEquals("aGVhZA.Ym9keQ", HostileTokens.segmentsOf("aGVhZA.Ym9keQ.c2ln", 2));
        assertEquals("aGVhZA.Ym9keQ.", HostileTokens.segmentsOf("aGVhZA.Ym9keQ.", 3));
    }
}
