package org.jwtgate.internal.jmx;

/** {@code org.jwtgate:type=Revocation,filter=<name>}: revocation checks and the near-cache. */
public interface RevocationMBean {
    long getChecksNearCache();

    long getChecksFallback();

    long getChecksStore();

    /** 1 when checks are answered from the near-cache right now; -1 without a near-cache or while it is idle. */
    int getNearCacheFresh();

    long getNearCacheHeartbeatAgeMillis();

    long getNearCacheExactEntries();

    long getNearCacheBloomEntries();

    /** {@code sharded} (Redis 7+), {@code classic} (Redis 6), or {@code none}: not subscribed yet, or no near-cache. */
    String getNearCachePubSubMode();

    long getNearCacheLoads();

    double getNearCacheMeanLoadMillis();

    /** Loads (at start or after a resubscription) that failed: each leaves the near-cache suspended until a retry succeeds. */
    long getNearCacheFailedLoads();

    /** Periodic reloads of a fresh near-cache that failed: it stays fresh, but the next load after a resubscription may fail too. */
    long getNearCacheFailedReloads();

    long getAnnouncementsSent();

    long getAnnouncementsReceived();

    long getNotDurableRevocations();
}
