package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;

class AnnouncingRevocationStoreTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final RevocationKeys KEYS = new RevocationKeys("jwtgate:");
    private static final TokenRef TOKEN = new TokenRef("iss", "alice", "j1", NOW, NOW.plusSeconds(60));

    private final RevocationStore inner = mock(RevocationStore.class);
    private final RevocationFeed feed = mock(RevocationFeed.class);
    private final AnnouncingRevocationStore store = new AnnouncingRevocationStore(inner, feed, KEYS,
            Duration.ofMillis(50), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void whenTokenRevokedThenWrittenThenAnnouncedThenAcknowledgedAfterTheSettleTime() {
        RevocationResult written = new RevocationResult(true, 1, 1);
        when(inner.revokeToken(TOKEN, Duration.ofSeconds(90))).thenReturn(written);

        long start = System.nanoTime();
        RevocationResult result = store.revokeToken(TOKEN, Duration.ofSeconds(90));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertSame(written, result);
        assertTrue(millis >= 50, "waited " + millis + " ms");
        InOrder order = inOrder(inner, feed);
        order.verify(inner).revokeToken(TOKEN, Duration.ofSeconds(90));
        ArgumentCaptor<String> message = ArgumentCaptor.forClass(String.class);
        order.verify(feed).announce(message.capture());
        assertEquals(new RevocationEvent(KEYS.tokenKey(TOKEN), 1, NOW.toEpochMilli() + 90_000),
                RevocationEvent.decode(message.getValue(), "jwtgate:"));
    }

    @Test
    void whenUserRevokedThenTheAnnouncementCarriesTheInstant() {
        when(inner.revokeUser("alice", NOW, Duration.ofSeconds(10))).thenReturn(RevocationResult.confirmed(0, 1));
        RevocationResult result = store.revokeUser("alice", NOW, Duration.ofSeconds(10));
        assertTrue(!result.durable(), "a non-durable write is announced and reported as such");
        ArgumentCaptor<String> message = ArgumentCaptor.forClass(String.class);
        verify(feed).announce(message.capture());
        assertEquals(new RevocationEvent(KEYS.userKey("alice"), NOW.toEpochMilli(), NOW.toEpochMilli() + 10_000),
                RevocationEvent.decode(message.getValue(), "jwtgate:"));
    }

    @Test
    void whenWriteFailsThenNothingIsAnnounced() {
        when(inner.revokeToken(any(), any())).thenThrow(new RevocationUnavailableException("down"));
        assertThrows(RevocationUnavailableException.class, () -> store.revokeToken(TOKEN, Duration.ofSeconds(1)));
        verify(feed, never()).announce(anyString());
    }

    @Test
    void whenAnnouncementFailsThenTheRevocationIsNotAcknowledged() {
        when(inner.revokeToken(any(), any())).thenReturn(RevocationResult.confirmed(1, 1));
        doThrow(new RevocationUnavailableException("channel master down")).when(feed).announce(anyString());
        RevocationUnavailableException e = assertThrows(RevocationUnavailableException.class,
                () -> store.revokeToken(TOKEN, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("stored in Redis but its announcement") && e.getMessage().contains("retry"),
                e.getMessage());
    }
}
