package org.jwtgate.revocation;

/**
 * What the near-cache did so far, for operators and benchmarks.
 *
 * <pre>{@code
 * revocation.nearCacheStats().ifPresent(stats -> log.info("near-cache fresh={} local={} redis={}",
 *         stats.fresh(), stats.localChecks(), stats.roundTripChecks()));
 * }</pre>
 *
 * @param localChecks          checks answered from local state (no network round trip)
 * @param directChecks         checks that read Redis because the local state was not fresh
 *                             (starting, subscription down or reconnecting, lagging)
 * @param confirmedChecks      checks that read Redis because the Bloom filter of overflow entries had a hit,
 *                             because the wall clock went back past entries dropped as expired or stepped forward
 *                             (until a reload), or because an entry covering the token had expired (the clock moved
 *                             on before the heartbeat thread noticed)
 * @param fresh                whether checks are answered locally right now
 * @param exactEntries         revocations held exactly
 * @param overflowEntries      revocations beyond {@code revocation.near-cache.capacity}, in the Bloom filter: each
 *                             counted once, those expired since the last load included (they stay in the filter
 *                             until the last of them has expired, or the next load); an estimate from the filter's
 *                             bits, within a few percent
 * @param announcementsApplied announcements received and applied
 * @param loads                full loads completed (initial, after each resubscription, periodic)
 * @param subscriptions        subscriptions made (1 + resubscriptions)
 * @param pubSubMode           how announcements travel: {@code sharded} (Redis 7+: SPUBLISH/SSUBSCRIBE, inside
 *                             the channel's shard), {@code classic} (Redis 6: PUBLISH, over the cluster bus), or
 *                             {@code none} before the first subscription
 * @param failedLoads          loads at start or after a resubscription that failed (a node down or refusing key
 *                             reads): each leaves the near-cache suspended, checks reading Redis, until a retried
 *                             load succeeds. A failed periodic reload is not counted: the state stays current
 *                             (since 1.1.0)
 * @param lastAnnouncementApplied when the latest announcement was applied here (millisecond resolution), or
 *                             null before the first: with the revocation's own time, how long it took to arrive
 *                             (since 1.1.0)
 * @param refusal              Redis's refusal of the configured user that keeps the near-cache suspended (an ACL
 *                             without the events channel, or without a command its subscription or heartbeat sends),
 *                             in Redis's words, e.g. {@code NOPERM this user has no permissions to run the
 *                             'ssubscribe' command} (never the user or a secret); null while nothing is refused. It
 *                             does not end by itself: checks read Redis until the ACL changes (since 1.1.0)
 *
 * @since 1.0.0
 */
public record NearCacheStats(long localChecks, long directChecks, long confirmedChecks, boolean fresh,
                             int exactEntries, long overflowEntries, long announcementsApplied, long loads,
                             long subscriptions, String pubSubMode, long failedLoads,
                             java.time.Instant lastAnnouncementApplied, String refusal) {

    /**
     * The 1.0.0 form, without {@code failedLoads} (0), {@code lastAnnouncementApplied} and {@code refusal} (null).
     *
     * @param localChecks          checks answered from local state
     * @param directChecks         checks that read Redis because the local state was not fresh
     * @param confirmedChecks      checks that read Redis to confirm a Bloom filter hit, or after the clock moved
     * @param fresh                whether checks are answered locally right now
     * @param exactEntries         revocations held exactly
     * @param overflowEntries      revocations in the Bloom filter
     * @param announcementsApplied announcements received and applied
     * @param loads                full loads completed
     * @param subscriptions        subscriptions made
     * @param pubSubMode           {@code sharded}, {@code classic} or {@code none}
     * @deprecated since 1.1.0: the canonical constructor
     */
    @Deprecated(since = "1.1.0")
    public NearCacheStats(long localChecks, long directChecks, long confirmedChecks, boolean fresh, int exactEntries,
                          long overflowEntries, long announcementsApplied, long loads, long subscriptions,
                          String pubSubMode) {
        this(localChecks, directChecks, confirmedChecks, fresh, exactEntries, overflowEntries, announcementsApplied,
                loads, subscriptions, pubSubMode, 0, null, null);
    }

    /**
     * Checks that cost a Redis round trip.
     *
     * @return {@code directChecks + confirmedChecks}
     */
    public long roundTripChecks() {
        return directChecks + confirmedChecks;
    }
}
