package org.jwtgate.sample.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Whom the per-address counter counts. */
class LoginThrottleTest {

    @Test
    void whenAddressesShareAnIpv6Slash64ThenOneCounterCountsThem() {
        // Before: each of a /64's 2^64 addresses had its own counter, so one client sprayed passwords without end.
        assertEquals("2001:db8:1:2:0:0:0:0", LoginThrottle.client("2001:db8:1:2:3:4:5:6"));
        assertEquals(LoginThrottle.client("2001:db8:1:2:3:4:5:6"), LoginThrottle.client("2001:0db8:0001:0002:ffff::9"));
        assertEquals(LoginThrottle.client("2001:db8:1:2::1"), LoginThrottle.client("[2001:db8:1:2::2]"));
        assertNotEquals(LoginThrottle.client("2001:db8:1:2::1"), LoginThrottle.client("2001:db8:1:3::1"));
        assertEquals("0:0:0:0:0:0:0:0", LoginThrottle.client("::1"));
    }

    @Test
    void whenIpv4OrNoIpv6LiteralThenTheAddressItself() {
        assertEquals("203.0.113.7", LoginThrottle.client("203.0.113.7"));
        assertEquals("203.0.113.7", LoginThrottle.client("::ffff:203.0.113.7"), "IPv4-mapped: the IPv4 client");
        assertEquals("beef", LoginThrottle.client("beef"), "no colon: never parsed, never looked up by name");
        assertEquals("fe80::1%eth0", LoginThrottle.client("fe80::1%eth0"), "a zone: counted as given");
        assertEquals("2001:db8::zz", LoginThrottle.client("2001:db8::zz"));
        assertEquals(".:", LoginThrottle.client(".:"), "not a literal InetAddress parses: never looked up by name");
    }
}
