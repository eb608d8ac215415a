package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.TokenRef;

class RevocationEventTest {

    private static final String PREFIX = "jwtgate:";
    private static final RevocationKeys KEYS = new RevocationKeys(PREFIX);
    private static final TokenRef TOKEN = new TokenRef("https://iss|x", "alice:{x}", "jti|1", Instant.now(), Instant.now());

    @Test
    void whenEncodedThenDecodedToTheSameEventEvenWithSeparatorsInTheKey() {
        RevocationEvent token = new RevocationEvent(KEYS.tokenKey(TOKEN), 1, 1_767_225_600_123L);
        RevocationEvent user = new RevocationEvent(KEYS.userKey("alice:{x}"), 1_767_225_000_000L, Long.MAX_VALUE);
        assertEquals(token, RevocationEvent.decode(token.encode(), PREFIX));
        assertEquals(user, RevocationEvent.decode(user.encode(), PREFIX));
    }

    @Test
    void whenMessageMalformedOrNotARevocationKeyThenNull() {
        assertNull(RevocationEvent.decode(null, PREFIX));
        assertNull(RevocationEvent.decode("", PREFIX));
        assertNull(RevocationEvent.decode("2|1|5|" + KEYS.tokenKey(TOKEN), PREFIX), "unknown version");
        assertNull(RevocationEvent.decode("1|x|5|" + KEYS.tokenKey(TOKEN), PREFIX));
        assertNull(RevocationEvent.decode("1|1|" + KEYS.tokenKey(TOKEN), PREFIX), "no expiry");
        assertNull(RevocationEvent.decode("1|1|5|other:{alice}:user", PREFIX), "another prefix");
        assertNull(RevocationEvent.decode("1|1|5|" + KEYS.liveKey(TOKEN), PREFIX), "allowlist registration");
        assertNull(RevocationEvent.decode("1|1|5|jwtgate:{alice}:users", PREFIX));
        assertNull(RevocationEvent.decode("1|1|5|jwtgate:events", PREFIX));
    }

    @Test
    void whenStoredKeyScannedThenExpiryFollowsItsRemainingLifetime() {
        String user = KEYS.userKey("bob");
        assertEquals(new RevocationEvent(user, 42, 11_000), RevocationEvent.ofStored(user, "42", 1_000, 10_000, PREFIX));
        assertEquals(new RevocationEvent(user, 42, Long.MAX_VALUE), RevocationEvent.ofStored(user, "42", -1, 10_000, PREFIX),
                "no TTL: kept");
        assertNull(RevocationEvent.ofStored(user, "42", -2, 10_000, PREFIX), "gone between SCAN and PTTL");
        assertEquals(new RevocationEvent(user, 42, Long.MAX_VALUE),
                RevocationEvent.ofStored(user, "42", Long.MAX_VALUE - 5_000, 10_000, PREFIX), "a huge TTL does not wrap");
        assertNull(RevocationEvent.ofStored(user, null, 1_000, 10_000, PREFIX));
        assertEquals(Long.MAX_VALUE, RevocationEvent.ofStored(user, "garbage", 1_000, 10_000, PREFIX).value(),
                "a user entry JwtGate did not write refuses every token of the user");
        assertEquals(Long.MAX_VALUE, RevocationEvent.ofStored(user, "00000000000000000000", 1_000, 10_000, PREFIX).value(),
                "no number to the revoke-user script, which keeps it: a ban, not instant 0");
        assertNull(RevocationEvent.ofStored("jwtgate:something", "1", 1_000, 10_000, PREFIX));
    }
}
