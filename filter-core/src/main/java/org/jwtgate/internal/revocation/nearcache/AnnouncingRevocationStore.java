package org.jwtgate.internal.revocation.nearcache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.RevocationUnconfirmedException;
import org.jwtgate.revocation.TokenRef;

/**
 * The write side of the near-cache protocol, used by every Redis store in denylist mode whether or not
 * this instance reads through a near-cache (other instances may). A revocation is acknowledged only
 * after (1) the store wrote it (and WAIT confirmed it, per {@code revocation.min-replicas}), (2) its
 * announcement was executed by the node that owns the announcement channel, and (3)
 * {@code revocation.max-staleness-ms} have passed since. By then every near-cache either has received
 * the announcement or is no longer fresh (so reads Redis): the revocation is refused by every instance
 * from the next request on, as without a near-cache. A write Redis stored but whose WAIT it refused
 * ({@link RevocationUnconfirmedException}: in force, the caller is told) is announced and waited for as well
 * before its exception goes on.
 */
public final class AnnouncingRevocationStore implements RevocationStore {

    private final RevocationStore store;
    private final RevocationFeed feed;
    private final RevocationKeys keys;
    private final long settleMillis;
    private final Clock clock;

    /** @param settle {@code revocation.max-staleness-ms}: how long an announced revocation waits before it is acknowledged */
    public AnnouncingRevocationStore(RevocationStore store, RevocationFeed feed, RevocationKeys keys, Duration settle,
                                     Clock clock) {
        this.store = store;
        this.feed = feed;
        this.keys = keys;
        this.settleMillis = settle.toMillis();
        this.clock = clock;
    }

    @Override
    public boolean isRevoked(TokenRef token) {
        return store.isRevoked(token);
    }

    @Override
    public RevocationResult revokeToken(TokenRef token, Duration ttl) {
        return announced(() -> store.revokeToken(token, ttl),
                () -> new RevocationEvent(keys.tokenKey(token), 1, clock.millis() + ttl.toMillis()));
    }

    @Override
    public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
        return announced(() -> store.revokeUser(subject, instant, ttl),
                () -> new RevocationEvent(keys.userKey(subject), instant.toEpochMilli(), clock.millis() + ttl.toMillis()));
    }

    /** The write, then its announcement: also when the write is stored but unconfirmed, which the caller is told is in force. */
    private RevocationResult announced(Supplier<RevocationResult> write, Supplier<RevocationEvent> event) {
        RevocationResult result;
        try {
            result = write.get();
        } catch (RevocationUnconfirmedException e) {
            // Stored, and said to be in force: unannounced, fresh near-caches would accept the token until a load.
            announce(event.get());
            throw e;
        }
        announce(event.get());
        return result;
    }

    /** Allowlist registrations are not announced: the near-cache serves denylist mode only. */
    @Override
    public RevocationResult register(TokenRef token, Duration ttl) {
        return store.register(token, ttl);
    }

    private void announce(RevocationEvent event) {
        try {
            feed.announce(event.encode());
        } catch (RevocationUnavailableException e) {
            throw new RevocationUnavailableException("The revocation is stored in Redis but its announcement to the"
                    + " near-caches failed; retry it (a token's revocation is idempotent; a user's takes a new instant): " + e.getMessage(), e);
        }
        try {
            TimeUnit.MILLISECONDS.sleep(settleMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RevocationUnavailableException("Interrupted before the revocation could be acknowledged; retry it", e);
        }
    }

    @Override
    public boolean isHealthy() {
        return store.isHealthy();
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public void close() {
        try {
            feed.close();
        } finally {
            store.close();
        }
    }
}
