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
}
