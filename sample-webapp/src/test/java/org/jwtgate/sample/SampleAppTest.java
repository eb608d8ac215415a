package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The URL the sample prints at start-up: one a browser or curl can open. */
class SampleAppTest {

    @Test
    void whenListeningOnLoopbackOrEveryAddressThenLocalhost() {
        assertEquals("http://localhost:8080/", SampleApp.url("127.0.0.1", 8080));
        assertEquals("http://localhost:8080/", SampleApp.url("0.0.0.0", 8080));
        assertEquals("http://localhost:8080/", SampleApp.url("::", 8080));
        assertEquals("http://192.168.1.5:9090/", SampleApp.url("192.168.1.5", 9090));
    }

    @Test
    void whenListeningOnAnIpv6AddressThenItIsBracketed() {
        // SAMPLE_HOST=::1 printed http://::1:8080/, which no browser or curl opens (RFC 3986 §3.2.2).
        assertEquals("http://[::1]:8080/", SampleApp.url("::1", 8080));
        assertEquals("http://[fe80::1%25eth0]:8080/", SampleApp.url("fe80::1%eth0", 8080));
    }
}
