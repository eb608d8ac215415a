package org.jwtgate.internal.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.Key;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.KeyOperations;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.Use;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;
import org.jwtgate.internal.collect.TwoGenerationMap;
import org.jwtgate.internal.keys.EcPoints;
import org.jwtgate.internal.keys.EdwardsPoints;
import org.jwtgate.internal.keys.RsaExponent;
import org.jwtgate.internal.keys.RsaModulus;
import org.jwtgate.internal.log.MaskedUrl;
import org.jwtgate.verify.KeysUnavailableException;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.thread.DaemonThreads;
import org.jwtgate.internal.metrics.GateMetrics;

/**
 * Verification keys from a JWKS URL ({@code https:}, {@code file:} or loopback {@code http:}).
 * Fetched at start, refreshed on a schedule (after a failed fetch, once the minimum interval has passed), and
 * refreshed on an unknown {@code kid} at most once per minimum interval (so garbage kids cannot hammer the key
 * server; a fetch its request thread's interrupt ended counts too). Keys come only from this set: {@code jwk},
 * {@code jku}, {@code x5u} and {@code x5c} headers are never used.
 */
final class JwksKeyResolver implements VerificationKeyResolver, AutoCloseable {

    private static final Log LOG = Log.of(JwksKeyResolver.class);
    private static final int MAX_JWKS_BYTES = 1 << 20;
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    /** How long a request waits for a refresh under way: its fetch's timeout and a second. */
    private static final Duration REFRESH_WAIT = FETCH_TIMEOUT.plusSeconds(1);
    /** Far more than the first tokens of a new key arriving together; far fewer than a container's threads. */
    static final int MAX_REFRESH_WAITERS = 16;
    /**
     * RSA moduli whose verdict ({@link RsaModulus}) is remembered, per generation: more than the RSA keys a 1 MiB set
     * holds (some 2,600 of 2,048 bits), so that a set checked in part goes on at the next fetch rather than evicting
     * its own verdicts; at most two generations of moduli of up to 1 KB (larger ones are not remembered), a few MB.
     */
    private static final int MODULUS_VERDICTS_GENERATION = 4096;

    private final URI uri;
    /** The URI as logs and messages show it: an API key in its query must not reach them. */
    private final String shownUri;
    private final Set<String> allowedAlgorithms;
    private final long minRefreshNanos;
    /** {@link #FETCH_TIMEOUT}; lower in tests. */
    private final Duration fetchTimeout;
    /** {@link #REFRESH_WAIT}; lower in tests. */
    private final Duration refreshWait;
    private final HttpClient http;
    /** The client's threads: none of them keeps the application's class loader, and close() ends them. */
    private final ForkJoinPool httpThreads;
    private final ScheduledExecutorService scheduler;
    /** The scheduled refresh's period once a fetch succeeded ({@code jwt.jwks-refresh-seconds}). */
    private final int refreshSeconds;
    /**
     * The next scheduled try after a failed fetch ({@code jwt.jwks-min-refresh-seconds}, at most the period): out of a
     * load balancer while health is DOWN, an instance gets no request whose unknown kid would fetch again.
     */
    private final int retrySeconds;
    /** Guards {@link #nextRefresh}. */
    private final Object scheduling = new Object();
    /** The scheduled refresh to come: each fetch, whoever started it, sets the next one by its outcome. */
    private ScheduledFuture<?> nextRefresh;
    private final ReentrantLock refreshLock = new ReentrantLock();
    /**
     * Requests waiting for a refresh under way: anyone can send tokens of made-up kids, and each waiting request holds
     * a container thread for up to the fetch's timeout while the key server is slow. Beyond these, 503 at once.
     */
    private final Semaphore refreshWaiters = new Semaphore(MAX_REFRESH_WAITERS);
    private final VerificationJwkSelector selector = new VerificationJwkSelector();
    /** Whether anyone factors a modulus, by modulus: a refetch of the same keys tests none of them again. */
    private final TwoGenerationMap<BigInteger, Boolean> modulusVerdicts =
            new TwoGenerationMap<>(MODULUS_VERDICTS_GENERATION);

    private volatile List<JsonWebKey> keys = List.of();
    /** Refreshes that dropped a key held before: the verified-token cache must not trust what it verified earlier. */
    private final AtomicLong withdrawals = new AtomicLong();
    private volatile boolean loaded;
    /** Set by close(): a key the set lacks is then not fetched, and the token gets 503, not 401. */
    private volatile boolean closed;
    /** Whether the latest fetch read a set without a public key (not a network or parse failure). */
    private volatile boolean fetchedEmpty;
    /**
     * How the latest fetch ended ({@link Fetch#FETCHED} until the constructor's fetch ends); unless fetched, a kid the
     * set held lacks gets 503, not a 401 that makes its client throw a good token away; a token without kid, or whose
     * kid the set holds, that no held key verifies stays 401.
     * <ul>
     * <li>{@link Fetch#FAILED} (the key server down or slow, an error status, a set unreadable or without a usable
     * key): the set held may lack a new key. Until a fetch succeeds each such kid gets this 503 at once: no fetch
     * within {@code jwt.jwks-min-refresh-seconds}, and no wait for a fetch under way (the scheduled retry).</li>
     * <li>{@link Fetch#INTERRUPTED}, ended by its request thread's own interrupt (a container's stuck-thread valve):
     * nothing is known of the set, so such a kid gets 503 until a fetch ends with an outcome: the requests that waited
     * for that fetch, and unknown kids within the minimum interval after it (which still counts: no fetch for them).
     * They still wait for a fetch under way. Not a failure: not counted, not logged as one, no effect on the schedule
     * or on health. It leaves a failure standing: the key server answered nothing since, so a latest fetch that
     * failed stays {@link Fetch#FAILED} (its 503 at once, and its message).</li>
     * </ul>
     */
    private volatile Fetch latestFetch = Fetch.FETCHED;
    /**
     * Fetches that ended with an outcome (read, or failed; not interrupted), each of which scheduled the next refresh:
     * a scheduled refresh that finds more than when it was scheduled leaves the fetch to the one scheduled since.
     * Written under refreshLock (or by the constructor).
     */
    private final AtomicLong fetchOutcomes = new AtomicLong();
    /** The HTTP exchanges under way: close() cancels them, so no request (or refresh) waits out the fetch's timeout. */
    private final Set<CompletableFuture<?>> exchanges = ConcurrentHashMap.newKeySet();
    /** Why the latest set that left no key held did so ("holds no public key"), for the 503 and the CLI. */
    private volatile String emptyBecause = "holds no public key";
    private volatile long lastSuccessNanos;
    private final GateMetrics metrics;
    private volatile long lastAttemptNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    JwksKeyResolver(URI uri, int refreshSeconds, int minRefreshSeconds, Set<String> allowedAlgorithms,
                    GateMetrics metrics) {
        this(uri, refreshSeconds, minRefreshSeconds, allowedAlgorithms, metrics, FETCH_TIMEOUT, REFRESH_WAIT);
    }

    /** With another fetch timeout and wait for a refresh under way: for tests, which should not take minutes. */
    JwksKeyResolver(URI uri, int refreshSeconds, int minRefreshSeconds, Set<String> allowedAlgorithms,
                    GateMetrics metrics, Duration fetchTimeout, Duration refreshWait) {
        this.fetchTimeout = fetchTimeout;
        this.refreshWait = refreshWait;
        this.metrics = metrics;
        metrics.attachJwks(new GateMetrics.JwksGauges() {
            @Override
            public int keys() {
                return keys.size();
            }

            @Override
            public long millisSinceLastSuccess() {
                // loaded first: refresh() writes lastSuccessNanos before it, so a true here comes with its time.
                if (!loaded) {
                    return -1;
                }
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastSuccessNanos);
            }
        });
        this.uri = uri;
        this.shownUri = MaskedUrl.of(uri);
        this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
        this.minRefreshNanos = TimeUnit.SECONDS.toNanos(minRefreshSeconds);
        this.refreshSeconds = refreshSeconds;
        this.retrySeconds = Math.max(1, Math.min(minRefreshSeconds, refreshSeconds));
        boolean file = uri.getScheme().equalsIgnoreCase("file");
        this.httpThreads = file ? null : httpThreads();
        this.http = file ? null : httpClient(httpThreads);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("jwtgate-jwks-refresh"));
        refresh(); // schedules the next one
    }

    /**
     * Under refreshLock, as a refresh for an unknown kid: refreshes then apply in the order they fetched. Run beside
     * a slower one, the set fetched first (with a key withdrawn since) would replace the newer one and trust the key
     * again until the next scheduled refresh.
     */
    private void scheduledRefresh(long scheduledAfterOutcomes) {
        try {
            refreshLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed
            return;
        }
        try {
            if (fetchOutcomes.get() != scheduledAfterOutcomes) {
                // It came due while a fetch for a kid held the lock: that fetch scheduled the next try by its outcome.
                // (Not lastAttemptNanos: an interrupted fetch moves it but leaves this schedule as it was.)
                return;
            }
            refresh();
        } catch (RuntimeException | Error e) {
            // The executor would end the schedule without a word: a key the issuer withdraws later stayed trusted.
            metrics.jwksFetch(false);
            LOG.warn("JWKS refresh from {} failed: {}; keeping {} cached keys, next on schedule", shownUri, reason(e),
                    keys.size());
        } finally {
            refreshLock.unlock();
        }
    }

    /**
     * The client's own executor. The JDK's default one creates its workers on the thread that sends (the container's,
     * whose context class loader is the web application's) and keeps them 60 s after the gate closed: Tomcat warned
     * "appears to have started a thread named [HttpClient-1-Worker-0] but has failed to stop it" at every reload and
     * undeploy. The JDK's worker factory gives its threads the system class loader and an access-control context
     * without the caller's classes (on JDK 17 a thread otherwise keeps those of the code that created it). It is
     * given as it is, with no factory class of ours around it: on JDK 25 the client keeps its executor reachable
     * after close() until a later collection, and such a class pinned the application's class loader past the
     * undeploy (Tomcat's "Find leaks" listed it).
     */
    private static ForkJoinPool httpThreads() {
        return new ForkJoinPool(2, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
    }

    /**
     * The client's selector thread starts now and would inherit this thread's context class loader (the web
     * application's, in a container): built with none. On JDK 17 it still holds the application's classes through
     * its inherited access-control context: close() ends it (else it lasts until the client is collected).
     */
    private static HttpClient httpClient(ForkJoinPool executor) {
        Thread current = Thread.currentThread();
        ClassLoader contextLoader = current.getContextClassLoader();
        current.setContextClassLoader(null);
        try {
            // No connectTimeout: the request's timeout already covers the connection (fetch()), and on JDK 25 a
            // connect timeout kept the exchange, with its body subscriber of ours, reachable until it would have
            // fired: the application's class loader outlived an undeploy by up to 5 s.
            return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).executor(executor).build();
        } finally {
            current.setContextClassLoader(contextLoader);
        }
    }

    @Override
    public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext) throws UnresolvableKeyException {
        // jose4j resolves the key before it checks the allowlist: check first, so a refused
        // algorithm is reported as such and never triggers a refresh.
        String algorithm = jws.getAlgorithmHeaderValue(); // null when missing: the set's contains() would throw
        if (algorithm == null || !allowedAlgorithms.contains(algorithm)) {
            throw new UnresolvableKeyException("algorithm not allowed",
                    new InvalidAlgorithmException("algorithm not allowed"));
        }
        // jose4j's selection casts kid to a string: a number or an array names no key of any set, and refreshes nothing.
        Object kid = jws.getHeaders().getObjectHeaderValue("kid");
        if (kid != null && !(kid instanceof String)) {
            throw new UnresolvableKeyException("kid is no string");
        }
        if (!loaded) {
            if (closed) {
                // Nothing is fetched once closed (its client is shut down: the fetch failed with a WARN
                // "RejectedExecutionException", and the 503 said "not loaded yet").
                throw closedUnavailable();
            }
            // No wait for a refresh under way: with no set loaded every token waits, and the key server may be stalled.
            refreshIfAllowed(false);
            if (!loaded && closed) {
                throw closedUnavailable();
            }
            if (!loaded) {
                // Fetched but empty is the key server's set to fix, not a fetch to wait for.
                throw new KeysUnavailableException(fetchedEmpty ? "the JWKS from " + shownUri + " " + emptyBecause
                        : "JWKS not loaded yet from " + shownUri);
            }
        }
        List<JsonWebKey> selectedFrom = keys;
        JsonWebKey key = select(jws, selectedFrom);
        if (key == null && closed) {
            // Closed, it fetches nothing: the kid may be a new key's, so 503 (as any request to a stopped filter), not
            // 401, which makes clients throw away a good token.
            throw closedUnavailable();
        }
        // A refresh that ended after the selection, or that this request waited for, may have brought the key. While
        // the latest fetch failed a kid the set lacks waits for none under way (the scheduled retry against a stalled
        // key server): 503 at once below; the first fetch that succeeds ends Fetch.FAILED and brings the key.
        if (key == null && (refreshIfAllowed(!(latestFetch == Fetch.FAILED && namesKidNotHeld(kid, selectedFrom)))
                || keys != selectedFrom)) {
            key = select(jws, keys);
        }
        if (key == null) {
            if (closed) {
                // Closed while it fetched or waited for a fetch: close() cancelled that fetch, which did not fail.
                throw closedUnavailable();
            }
            if (keys.isEmpty()) {
                throw new KeysUnavailableException("the JWKS from " + shownUri + " " + emptyBecause);
            }
            Fetch latest = latestFetch;
            if (latest != Fetch.FETCHED && namesKidNotHeld(kid, keys)) {
                // The fetch it set off or waited for failed, or one did before (then no fetch within the minimum
                // interval and no wait for the retry under way: a flood of made-up kids gets this at once); or the
                // fetch it waited for, or the latest one within the minimum interval, ended by its request thread's
                // interrupt (it got 401 unknown key though nothing was read). The key may be new: not 401. A token
                // without kid, or whose kid the set holds, that no key verifies is a bad signature (or a key for
                // another algorithm): 401, as when the key server is up.
                throw new KeysUnavailableException("no key of the JWKS held matches, and the latest fetch from "
                        + shownUri + " " + latest.ended + ": the key may be one the set held lacks");
            }
            throw new UnresolvableKeyException("no JWKS key matches");
        }
        return key.getKey();
    }

    /** Whether the token names a kid none of {@code held} has: a key the set may have gained since. */
    private static boolean namesKidNotHeld(Object kid, List<JsonWebKey> held) {
        return kid instanceof String name && held.stream().noneMatch(k -> name.equals(k.getKeyId()));
    }

    private static KeysUnavailableException closedUnavailable() {
        return new KeysUnavailableException("JWKS not fetched: JwtGate was closed (its filter or authentication module"
                + " stopped, or JwtGate.close() was called)");
    }

    private JsonWebKey select(JsonWebSignature jws, List<JsonWebKey> from) throws UnresolvableKeyException {
        List<JsonWebKey> candidates;
        try {
            candidates = selector.selectList(jws, from);
        } catch (JoseException e) {
            throw new UnresolvableKeyException("key selection failed", e);
        }
        // A key the set marks for one algorithm verifies no other (RFC 8725 §3.1): jose4j compares a key's alg with
        // the token's only when several keys fit, so the one key marked RS256 verified PS256 tokens.
        String algorithm = jws.getAlgorithmHeaderValue();
        candidates = candidates.stream()
                .filter(k -> k.getAlgorithm() == null || k.getAlgorithm().equals(algorithm))
                .toList();
        if (candidates.size() <= 1) {
            return candidates.isEmpty() ? null : candidates.get(0);
        }
        // Several keys fit (no kid, or a kid the set repeats): jose4j's select() takes the first, which would refuse
        // every token of the others. Take the one whose signature verifies; none is treated as an unknown key.
        for (JsonWebKey candidate : candidates) {
            try {
                jws.setKey(candidate.getKey());
                if (jws.verifySignature()) {
                    return candidate;
                }
            } catch (JoseException | RuntimeException e) {
                // this key cannot verify at all (an RSA key below 2048 bits): try the next
            }
        }
        return null;
    }

    /**
     * Refreshes unless one was attempted within the minimum interval. With {@code awaitOneUnderWay}, a request that
     * finds a refresh under way waits for it (at most its fetch's timeout) instead: the first tokens of a new key come
     * together, and the one refresh the first of them set off brings the key for all; without the wait the others got
     * 401 (unknown key).
     *
     * @return whether this call refreshed
     * @throws KeysUnavailableException when this request's thread was interrupted during its fetch: no failure recorded
     *         and the schedule as it was, but the minimum interval counts from it; the key may be new
     */
    private boolean refreshIfAllowed(boolean awaitOneUnderWay) {
        if (System.nanoTime() - lastAttemptNanos < minRefreshNanos || !refreshLock.tryLock()) {
            if (awaitOneUnderWay) {
                awaitRefreshUnderWay();
            }
            return false;
        }
        try {
            if (System.nanoTime() - lastAttemptNanos < minRefreshNanos) {
                return false;
            }
            Fetch outcome = refresh();
            if (outcome == Fetch.INTERRUPTED) {
                if (closed) {
                    throw closedUnavailable();
                }
                throw new KeysUnavailableException("the JWKS fetch from " + shownUri
                        + " this request set off was interrupted (its thread was): the key may be one the set held lacks");
            }
            return outcome == Fetch.FETCHED;
        } finally {
            refreshLock.unlock();
        }
    }

    /**
     * @throws KeysUnavailableException when as many requests wait already, or when the wait ends with the refresh still
     *         under way: the refresh may bring the key, so not 401 (which makes clients throw away a good token)
     */
    private void awaitRefreshUnderWay() {
        if (!refreshLock.isLocked()) {
            return;
        }
        List<JsonWebKey> before = keys;
        if (!refreshWaiters.tryAcquire()) {
            throw new KeysUnavailableException("a JWKS refresh from " + shownUri + " is under way, and "
                    + MAX_REFRESH_WAITERS + " requests wait for it already");
        }
        try {
            // The fetch and its key checks give up after its timeout; the rest of the refresh is parsing.
            if (refreshLock.tryLock(refreshWait.toMillis(), TimeUnit.MILLISECONDS)) {
                refreshLock.unlock();
            } else if (keys == before) {
                // Still the set it came during. Another one: that refresh ended and the next holds the lock; the
                // caller looks at the new keys.
                throw new KeysUnavailableException("a JWKS refresh from " + shownUri + " is still under way after "
                        + seconds(refreshWait) + " s");
            }
        } catch (InterruptedException e) {
            // The refresh may still bring the key: 503, as when the wait ends with it under way, not 401.
            Thread.currentThread().interrupt();
            throw new KeysUnavailableException("interrupted while waiting for the JWKS refresh from " + shownUri
                    + " under way");
        } finally {
            refreshWaiters.release();
        }
    }

    /**
     * Fetches the set and, whatever the outcome, schedules the next scheduled refresh: {@code jwt.jwks-refresh-seconds}
     * after a good fetch, {@code jwt.jwks-min-refresh-seconds} after a failed one (the key server down, an error
     * status, a set without a usable key) until one succeeds. Before, after a failure at start nothing fetched again
     * for 300 s unless a token of an unknown kid came, so health stayed DOWN and a readiness probe kept the pod out.
     *
     * A fetch ended by its thread's own interrupt (a request thread a container interrupts) records no outcome: a
     * failure, the fetch metrics and the schedule stay as they were (at start, with no schedule yet, the retry is
     * scheduled), and {@link #latestFetch} is {@link Fetch#INTERRUPTED} unless it was {@link Fetch#FAILED}. Its attempt
     * counts for the minimum interval: it may have reached the key server, and requests interrupted one after the other
     * fetched once each.
     *
     * @return whether the set was fetched and holds a usable key, or the fetch was interrupted
     */
    private Fetch refresh() {
        Fetch outcome = Fetch.FAILED;
        try {
            outcome = fetchAndRead();
            return outcome;
        } finally {
            if (outcome == Fetch.INTERRUPTED) {
                if (latestFetch != Fetch.FAILED) { // under refreshLock (or in the constructor): no other writer
                    latestFetch = Fetch.INTERRUPTED;
                }
                synchronized (scheduling) {
                    if (nextRefresh == null) {
                        scheduleNext(false); // the fetch at start: nothing else would fetch again
                    }
                }
            } else {
                boolean fetched = outcome == Fetch.FETCHED;
                latestFetch = outcome;
                fetchOutcomes.incrementAndGet();
                scheduleNext(fetched);
            }
        }
    }

    /** How a fetch ended. */
    private enum Fetch {
        FETCHED(null),
        /** The key server down, slow or answering an error, or a set unreadable or without a usable key. */
        FAILED("failed"),
        /** Its thread was interrupted (not by close()): nothing is known of the key server. */
        INTERRUPTED("was interrupted (its request thread was)");

        /** How the 503 for a kid the set held lacks tells it: "the latest fetch from ... {ended}". */
        final String ended;

        Fetch(String ended) {
            this.ended = ended;
        }
    }

    private void scheduleNext(boolean afterGoodFetch) {
        synchronized (scheduling) {
            if (closed || scheduler.isShutdown()) {
                return;
            }
            if (nextRefresh != null) {
                nextRefresh.cancel(false); // no interrupt: it may be the scheduled refresh running this
            }
            try {
                long outcomes = fetchOutcomes.get();
                nextRefresh = scheduler.schedule(() -> scheduledRefresh(outcomes),
                        afterGoodFetch ? refreshSeconds : retrySeconds, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    private Fetch fetchAndRead() {
        lastAttemptNanos = System.nanoTime();
        // The fetch and the checks of the set's keys share this deadline: a set that arrives at once but holds many
        // large RSA keys cannot hold start-up, a request or refreshLock past the fetch's timeout either.
        long deadlineNanos = lastAttemptNanos + fetchTimeout.toNanos();
        try {
            String json = jsonText(fetch());
            JsonSyntax.check(json); // jose4j's parser takes text that is no JSON (no colons, trailing commas)
            KeySet read = KeySet.read(json);
            KeySet set = read.withModulusAnyoneFactors(modulusAnyoneFactors(read.keys(), deadlineNanos));
            boolean anyPublicKey = set.keys().stream().anyMatch(k -> k instanceof PublicJsonWebKey);
            // A key whose private part the set publishes proves nothing: whoever reads the set can sign with it, as
            // anyone can for an EdDSA point of small order or may for an RSA modulus anyone factors. An RSA key with
            // an even exponent, or an EC key whose point is off its curve, verifies nothing: left out as jose4j leaves
            // out an RSA exponent below 3.
            List<JsonWebKey> publicKeys = set.keys().stream()
                    .filter(k -> k instanceof PublicJsonWebKey && !set.publishesPrivatePart(k) && !hasEvenRsaExponent(k)
                            && !isEcPointOffCurve(k) && !isEdwardsPointOfSmallOrder(k) && !set.hasModulusAnyoneFactors(k))
                    .toList();
            List<JsonWebKey> before = keys;
            // Keys none of which can verify (all "use":"enc", RSA below 2048 bits, …) are as good as none: a 401 for
            // every token (unknown key), with health UP, sent every client to log in again.
            String unusable = anyPublicKey ? unusable(set) : null;
            if (!anyPublicKey || unusable != null) {
                // The issuer withdrew every key (perhaps a compromised one): trust none of those held. Tokens get
                // 503 (health DOWN), not a 401 that sends every client to log in again; counted as a failed fetch.
                String skipped = skippedEntries(set);
                emptyBecause = anyPublicKey ? unusable + (skipped.isEmpty() ? "" : "; " + skipped)
                        : skipped.isEmpty() ? "holds no public key" : "holds no public key it can read: " + skipped;
                keys = List.of();
                fetchedEmpty = true;
                countWithdrawal(before, keys);
                metrics.jwksFetch(false);
                if (unusable == null) {
                    LOG.warn("JWKS from {} {}: every token is answered 503 until it holds one", shownUri, emptyBecause);
                } else {
                    LOG.warn("JWKS from {} {}; every token is answered 503 until it holds a key to verify with", shownUri,
                            emptyBecause);
                }
                return Fetch.FAILED;
            }
            warnOfKeysAnyoneCanSignFor(set);
            keys = publicKeys;
            fetchedEmpty = false;
            countWithdrawal(before, publicKeys);
            lastSuccessNanos = System.nanoTime();
            loaded = true;
            metrics.jwksFetch(true);
            LOG.debug("Loaded {} keys from JWKS {}", publicKeys.size(), shownUri);
            return Fetch.FETCHED;
        } catch (IOException | JoseException | RuntimeException e) {
            fetchedEmpty = false;
            metrics.jwksFetch(false);
            if (closed) {
                // close() cancelled it (an undeploy): no warning.
                LOG.debug("JWKS fetch from {} ended by close(): {}", shownUri, reason(e));
            } else {
                LOG.warn("Cannot load JWKS from {}: {}; keeping {} cached keys", shownUri, reason(e), keys.size());
            }
            return Fetch.FAILED;
        } catch (InterruptedException e) {
            // Its own thread interrupted (a container giving up on a request, or close()): not the key server's doing,
            // so not counted, not logged as a failure, and refresh() records no outcome of it.
            Thread.currentThread().interrupt();
            LOG.debug("JWKS fetch from {} ended by its thread's interrupt", shownUri);
            return Fetch.INTERRUPTED;
        }
    }

    /**
     * How many entries jose4j skipped ("jose4j skipped 1 entry of its "keys" (…)"), or "" when none: it drops a key it
     * cannot read without a word, so a set of such keys (an RSA public exponent of 1, which the JDK refuses) read as one
     * the issuer had emptied, and beside unusable keys it went uncounted.
     */
    private static String skippedEntries(KeySet set) {
        int skipped = set.skipped();
        return skipped <= 0 ? "" : "jose4j skipped " + skipped + (skipped == 1 ? " entry" : " entries")
                + " of its \"keys\" (such as an RSA key whose public exponent is below 3, or an unknown kty or curve)";
    }

    /**
     * The keys of a set, each read on its own, and how many entries could not be read. Not jose4j's JsonWebKeySet:
     * it logs a set it cannot read in full, at DEBUG, with every entry's parameters, private parts included.
     */
    private record KeySet(List<JsonWebKey> keys, int skipped, Set<JsonWebKey> withPrivateMembers,
            Set<JsonWebKey> withModulusAnyoneFactors) {

        /**
         * The members of a private key (RFC 7518 §6.3.2, §6.2.2): any of them published lets whoever reads the set sign
         * (an RSA key's p and q give d), though jose4j makes a private key of d alone.
         */
        private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth");

        /** Whether an entry gives a private member a value: {@code "p": null} or {@code "oth": []} publishes nothing. */
        private static boolean holdsPrivateMembers(Map<?, ?> parameters) {
            for (String name : PRIVATE_MEMBERS) {
                Object value = parameters.get(name);
                if (value != null && !"".equals(value) && !(value instanceof List<?> list && list.isEmpty())) {
                    return true;
                }
            }
            return false;
        }

        /** An RSA key anyone may sign for ({@link RsaModulus}): found once per fetch ({@link #modulusAnyoneFactors}). */
        boolean hasModulusAnyoneFactors(JsonWebKey key) {
            return withModulusAnyoneFactors.contains(key);
        }

        /** Whether the set publishes a part of this key's private key. */
        boolean publishesPrivatePart(JsonWebKey key) {
            return key instanceof PublicJsonWebKey pair && (pair.getPrivateKey() != null || withPrivateMembers.contains(key));
        }

        /**
         * Whether {@code key_ops} holds no array or object: jose4j casts it to a list without looking inside, so a
         * key_ops of arrays nested a hundred thousand deep (in a set under the size limit) was held, and comparing it
         * overflowed the stack: the start failed, and a refresh ended the schedule for good. A scalar beside
         * {@code "verify"} ({@code ["verify", null]}) is left as jose4j takes it; other members jose4j refuses itself.
         */
        private static boolean hasFlatKeyOperations(Map<?, ?> parameters) {
            return !(parameters.get("key_ops") instanceof List<?> operations)
                    || operations.stream().noneMatch(operation -> operation instanceof List<?> || operation instanceof Map<?, ?>);
        }

        @SuppressWarnings("unchecked")
        static KeySet read(String json) throws JoseException {
            Object member = JsonUtil.parseJson(json).get("keys");
            if (!(member instanceof List<?> entries)) {
                throw new JoseException(member == null ? "The JSON JWKS content does not include the keys member."
                        : "The JSON JWKS content's keys member is not an array.");
            }
            List<JsonWebKey> keys = new ArrayList<>(entries.size());
            Set<JsonWebKey> withPrivateMembers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Object entry : entries) {
                if (entry == null) {
                    continue; // as jose4j: left out, counted
                }
                if (!(entry instanceof Map<?, ?> parameters)) {
                    throw new JoseException("The JSON JWKS content holds a keys member that is not an object.");
                }
                if (!hasFlatKeyOperations(parameters)) {
                    continue; // counted, as an entry jose4j cannot read
                }
                try {
                    JsonWebKey key = JsonWebKey.Factory.newJwk((Map<String, Object>) parameters);
                    keys.add(key);
                    if (holdsPrivateMembers(parameters)) {
                        withPrivateMembers.add(key);
                    }
                } catch (JoseException | RuntimeException e) {
                    // as jose4j: an entry it cannot read is left out (counted), the rest of the set is used
                }
            }
            return new KeySet(List.copyOf(keys), entries.size() - keys.size(), withPrivateMembers, Set.of());
        }

        KeySet withModulusAnyoneFactors(Set<JsonWebKey> factored) {
            return new KeySet(keys, skipped, withPrivateMembers, factored);
        }
    }

    /**
     * The keys among {@code keys} whose RSA modulus anyone factors ({@link RsaModulus}). A modulus not tested before
     * costs a primality test (about 0.15 s at 8,192 bits, as one exponentiation), so a set of many large
     * keys took minutes: the tests end at the fetch's deadline, and the fetch then fails as one whose body stalled
     * does. Each verdict is remembered by modulus, so a refetch of the same keys tests none again, and a set checked
     * in part goes on where it stopped at the next fetch.
     *
     * @throws IOException when the deadline passes with moduli still to test
     */
    private Set<JsonWebKey> modulusAnyoneFactors(List<JsonWebKey> keys, long deadlineNanos) throws IOException {
        List<RsaJsonWebKey> rsaKeys = keys.stream().filter(RsaJsonWebKey.class::isInstance)
                .map(RsaJsonWebKey.class::cast).toList();
        Set<JsonWebKey> factored = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < rsaKeys.size(); i++) {
            RSAPublicKey key = rsaKeys.get(i).getRsaPublicKey();
            BigInteger modulus = key.getModulus();
            Boolean anyoneCanSign = modulusVerdicts.get(modulus);
            if (anyoneCanSign == null) {
                if (closed) {
                    throw new IOException("closed while the set's RSA keys were checked");
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new IOException("the set's RSA keys not checked within " + seconds(fetchTimeout) + " s: "
                            + (rsaKeys.size() - i) + " of " + rsaKeys.size() + " RSA keys still unchecked (those"
                            + " checked are not tested again at the next fetch)");
                }
                anyoneCanSign = RsaModulus.anyoneCanSign(key);
                if (modulus.bitLength() <= RsaModulus.MAX_BITS_TESTED_FOR_PRIMALITY) {
                    modulusVerdicts.put(modulus, anyoneCanSign);
                }
            }
            if (anyoneCanSign) {
                factored.add(rsaKeys.get(i));
            }
        }
        return factored;
    }

    /**
     * Why no key of the set can verify a token jwt.algorithms allows ("holds 2 keys, none usable to verify: use=enc"),
     * or null when one can. The selector skips a key marked for another use or operation, the key lookup one marked for
     * another algorithm, and jose4j refuses an RSA key below 2048 bits or a key of another type or curve; an RSA key with
     * an even exponent or an EC key off its curve verifies nothing, and an OKP key of small order (or an RSA key whose
     * modulus anyone factors) is one anyone can (or may) sign for.
     */
    private String unusable(KeySet set) {
        List<JsonWebKey> all = set.keys();
        Set<String> reasons = new LinkedHashSet<>();
        for (JsonWebKey key : all) {
            String reason = unusableBecause(set, key);
            if (reason == null) {
                return null;
            }
            reasons.add(reason);
        }
        return "holds " + all.size() + (all.size() == 1 ? " key" : " keys") + ", none usable to verify: "
                + String.join(", ", reasons);
    }

    private String unusableBecause(KeySet set, JsonWebKey key) {
        if (!(key instanceof PublicJsonWebKey)) {
            return "a symmetric key (kty=" + printable(key.getKeyType()) + ")";
        }
        if (set.publishesPrivatePart(key)) {
            return "a private key (published: anyone who reads the set can sign with it)";
        }
        if (key.getUse() != null && !key.getUse().equals(Use.SIGNATURE)) {
            return "use=" + printable(key.getUse());
        }
        if (key.getKeyOps() != null && !key.getKeyOps().contains(KeyOperations.VERIFY)) {
            return "key_ops=" + printable(String.valueOf(key.getKeyOps()));
        }
        List<String> algorithms = allowedAlgorithms.stream().sorted().toList();
        if (key.getAlgorithm() != null && !allowedAlgorithms.contains(key.getAlgorithm())) {
            return "alg=" + printable(key.getAlgorithm()) + ", not in jwt.algorithms " + algorithms;
        }
        String type = keyType(key);
        if (algorithms.stream().filter(a -> key.getAlgorithm() == null || key.getAlgorithm().equals(a))
                .noneMatch(a -> verifiesWith(a, type))) {
            return type + " key, which no algorithm of jwt.algorithms " + algorithms + " verifies with";
        }
        if (key instanceof RsaJsonWebKey rsa && rsa.getRsaPublicKey().getModulus().bitLength() < 2048) {
            return "RSA key of " + rsa.getRsaPublicKey().getModulus().bitLength() + " bits (2048 needed)";
        }
        if (hasEvenRsaExponent(key)) {
            return "RSA key with an even public exponent (no RSA key has one)";
        }
        if (isEcPointOffCurve(key)) {
            return "EC key whose point is not on its curve";
        }
        if (isEdwardsPointOfSmallOrder(key)) {
            return "OKP key of small order (anyone can sign for it)";
        }
        if (set.hasModulusAnyoneFactors(key)) {
            return "RSA key whose modulus anyone factors (even, prime, a square or with a small factor: anyone may sign"
                    + " for it)";
        }
        return null;
    }

    /** An RSA key no token the issuer signs verifies with ({@link RsaExponent}; one below 3 jose4j skips itself). */
    private static boolean hasEvenRsaExponent(JsonWebKey key) {
        return key instanceof RsaJsonWebKey rsa && !RsaExponent.isOdd(rsa.getRsaPublicKey());
    }

    /** An EC key no token verifies with ({@link EcPoints}: jose4j, as the JDK, takes a point off the curve). */
    private static boolean isEcPointOffCurve(JsonWebKey key) {
        return key instanceof EllipticCurveJsonWebKey ec && !EcPoints.isOnCurve(ec.getECPublicKey());
    }

    /**
     * An Ed25519/Ed448 key of small order or non-canonical encoding ({@link EdwardsPoints}): the JDK verifies with it a
     * "signature" anyone can make, so a set that held one would let anyone sign tokens.
     */
    private static boolean isEdwardsPointOfSmallOrder(JsonWebKey key) {
        return key instanceof OctetKeyPairJsonWebKey okp && okp.getPublicKey() instanceof EdECPublicKey ed
                && EdwardsPoints.isWeak(ed);
    }

    /**
     * Beside usable keys a published private part, a small-order key or an RSA modulus anyone factors is skipped as
     * others are, but it means the issuer's key is compromised or broken, or its set forged: say so.
     */
    private void warnOfKeysAnyoneCanSignFor(KeySet set) {
        List<String> kids = kidsOf(set, set::publishesPrivatePart);
        if (!kids.isEmpty()) {
            LOG.warn("JWKS from {} publishes the private part of the {} {}: anyone who reads the set can sign with {},"
                    + " so {} no token", shownUri, kids.size() == 1 ? "key" : "keys", kids,
                    kids.size() == 1 ? "it" : "them", kids.size() == 1 ? "it verifies" : "they verify");
        }
        List<String> factored = kidsOf(set, set::hasModulusAnyoneFactors);
        if (!factored.isEmpty()) {
            LOG.warn("JWKS from {} publishes {} whose modulus anyone factors {} (even, prime, a square or with a small"
                    + " factor): anyone may sign for such a key, so {} no token", shownUri,
                    factored.size() == 1 ? "an RSA key" : "RSA keys", factored,
                    factored.size() == 1 ? "it verifies" : "they verify");
        }
        List<String> smallOrder = kidsOf(set, JwksKeyResolver::isEdwardsPointOfSmallOrder);
        if (!smallOrder.isEmpty()) {
            LOG.warn("JWKS from {} publishes {} of small order {}: anyone can sign for such a key, so {} no token",
                    shownUri, smallOrder.size() == 1 ? "an OKP key" : "OKP keys", smallOrder,
                    smallOrder.size() == 1 ? "it verifies" : "they verify");
        }
    }

    /** The {@code kid}s of the set's keys that {@code which} picks, as a log line shows them ("no kid" for none). */
    private static List<String> kidsOf(KeySet set, Predicate<JsonWebKey> which) {
        return set.keys().stream().filter(which).map(k -> k.getKeyId() == null ? "no kid" : printable(k.getKeyId()))
                .toList();
    }

    /** "RSA", "EC P-256", "OKP Ed25519": what decides which algorithms a key serves. */
    private static String keyType(JsonWebKey key) {
        if (key instanceof EllipticCurveJsonWebKey ec) {
            return "EC " + ec.getCurveName();
        }
        if (key instanceof OctetKeyPairJsonWebKey okp) {
            return "OKP " + okp.getSubtype();
        }
        return key.getKeyType();
    }

    /** Whether {@code algorithm} verifies with a key of this {@link #keyType}. */
    private static boolean verifiesWith(String algorithm, String type) {
        return switch (algorithm) {
            case "ES256" -> type.equals("EC P-256");
            case "ES384" -> type.equals("EC P-384");
            case "ES512" -> type.equals("EC P-521");
            case "EdDSA" -> type.equals("OKP Ed25519") || type.equals("OKP Ed448");
            default -> (algorithm.startsWith("RS") || algorithm.startsWith("PS")) && type.equals("RSA");
        };
    }

    /** A member of the key server's set, as it goes into a log line: no line breaks, no control characters, short. */
    private static String printable(String value) {
        String shown = value.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return shown.length() > 40 ? shown.substring(0, 40) + "…" : shown;
    }

    /**
     * Why a fetch failed, for the operator: the type alone said "IOException" for a wrong path, a redirect, a timeout
     * and a set too large alike. The messages are the status, the JDK's TLS or network failure, or the parser's.
     */
    private static String reason(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * Counted after the new keys are in place, so a token verified under the new count used only those. A key is
     * held still only with the same {@code kid}, {@code use}, {@code key_ops} and {@code alg}: the same material marked
     * for encryption, for another algorithm or under another kid no longer verifies the tokens it verified before.
     */
    private void countWithdrawal(List<JsonWebKey> before, List<JsonWebKey> after) {
        Set<HeldKey> held = new HashSet<>();
        after.forEach(jwk -> held.add(HeldKey.of(jwk)));
        if (before.stream().anyMatch(jwk -> !held.contains(HeldKey.of(jwk)))) {
            withdrawals.incrementAndGet();
        }
    }

    /** What decides which tokens a key of the set verifies: its material and the members the key lookup reads. */
    private record HeldKey(Key key, String kid, String use, List<String> keyOps, String alg) {
        static HeldKey of(JsonWebKey jwk) {
            return new HeldKey(jwk.getKey(), jwk.getKeyId(), jwk.getUse(), jwk.getKeyOps(), jwk.getAlgorithm());
        }

        // Written out, as ClusterLayout's: on JDK 17 a record's generated equals can keep the class loader (JDK-8078641).
        @Override
        public boolean equals(Object other) {
            return other instanceof HeldKey that && key.equals(that.key) && Objects.equals(kid, that.kid)
                    && Objects.equals(use, that.use) && Objects.equals(keyOps, that.keyOps) && Objects.equals(alg, that.alg);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, kid, use, keyOps, alg);
        }
    }

    /** How many refreshes withdrew a key held before. */
    long withdrawals() {
        return withdrawals.get();
    }

    /**
     * The set's bytes as JSON text: UTF-8 only (RFC 8259 §8.1), and without the byte-order mark a Windows editor
     * writes, which jose4j's parser refuses (§8.1 lets a reader ignore it). Decoded leniently, a malformed byte became
     * U+FFFD and the set was taken with a kid read other than written; a raw control character (the NULs of UTF-16
     * text) is no JSON either, yet the parser took one inside a string. Each fails the fetch as unparseable JSON does.
     */
    private static String jsonText(byte[] bytes) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            boolean utf16 = bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                    || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF));
            throw new IOException("not UTF-8 text" + (utf16 ? " (UTF-16: save it as UTF-8)" : ""));
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                throw new IOException("control character U+" + String.format("%04X", (int) c)
                        + " at offset " + i + (i <= 1 && c == 0 ? " (UTF-16 text? save it as UTF-8)" : ", not escaped"));
            }
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private byte[] fetch() throws IOException, InterruptedException {
        if (http == null) {
            Path path = Path.of(uri);
            // The start took a regular file, but what the path names may change: opening a named pipe no one writes to
            // waits for a writer for ever (holding refreshLock, so every later refresh and waiting request), and so may
            // a device. Only a regular file (or a link to one, as a Kubernetes ConfigMap's) is read.
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new IOException("not a regular file (" + (attributes.isDirectory() ? "a directory"
                        : "a named pipe, a socket or a device") + "): refused");
            }
            // The limit holds on what is read: a /proc file says it holds 0 bytes whatever it gives.
            try (InputStream in = Files.newInputStream(path)) {
                byte[] bytes = in.readNBytes(MAX_JWKS_BYTES + 1);
                if (bytes.length > MAX_JWKS_BYTES) {
                    throw new IOException("JWKS file too large");
                }
                return bytes;
            } catch (ClosedByInterruptException e) {
                // Its thread's interrupt closed the file's channel: nothing wrong with the file.
                throw new InterruptedException("JWKS file read interrupted");
            }
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(fetchTimeout)
                .header("Accept", "application/json").GET().build();
        // The request's timeout ends with the headers; this deadline covers the body too, so a key server that
        // stalls mid-body cannot hold start-up, the refresh thread or a request thread (and refreshLock) forever.
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request, info -> new CappedBody(info.statusCode(), MAX_JWKS_BYTES));
        // close() cancels it: its client's threads end, and the request thread waiting here (perhaps holding
        // refreshLock, with other requests waiting for it) would wait out the fetch's timeout, 5 s into an undeploy.
        exchanges.add(exchange);
        if (closed) {
            exchange.cancel(true); // close() came before the add: it did not see this one
        }
        try {
            return exchange.get(fetchTimeout.toMillis(), TimeUnit.MILLISECONDS).body();
        } catch (TimeoutException e) {
            throw new IOException("JWKS not received within " + seconds(fetchTimeout) + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (CancellationException e) {
            throw new IOException("JWKS fetch cancelled: JwtGate was closed");
        } finally {
            exchange.cancel(true); // no-op once done; otherwise ends the exchange and its connection
            exchanges.remove(exchange);
        }
    }

    /** "5", or "0.5" for a test's timeout. */
    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? Long.toString(duration.toSeconds())
                : java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    /** A 200 body of at most {@code max} bytes; any other status, or more bytes, ends the exchange. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int status;
        private final int max;
        private Flow.Subscription subscription;

        CappedBody(int status, int max) {
            this.status = status;
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (status != 200) {
                refuse("HTTP " + status + (status / 100 == 3 ? " (a redirect: not followed)" : ""));
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) {
                    return;
                }
                if (buffer.remaining() > max - bytes.size()) {
                    refuse("JWKS too large");
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }

        private void refuse(String reason) {
            subscription.cancel();
            body.completeExceptionally(new IOException(reason));
        }
    }

    @Override
    public void close() {
        closed = true;
        // First: a request thread inside a fetch (or waiting for one) answers 503 now, not after the fetch's timeout.
        exchanges.forEach(exchange -> exchange.cancel(true));
        scheduler.shutdownNow();
        boolean interrupted = false;
        try {
            // Its thread ends before close() returns: a container stops the application's class loader right after.
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (http != null) {
            // JDK 17's client has no close(): its selector thread ends when interrupted, closing its connections.
            Thread selector = selectorThread(http);
            if (selector != null) {
                selector.interrupt();
            }
            httpThreads.shutdownNow();
            try {
                if (selector != null && !interrupted) {
                    selector.join(2000);
                }
                if (!interrupted) {
                    httpThreads.awaitTermination(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The client's selector thread, {@code HttpClient-<id>-SelectorManager} with the id its toString() ends with (as
     * the JDK's own tests find it, JDK 17 to 25), or null if there is none by that name.
     */
    private static Thread selectorThread(HttpClient client) {
        String description = client.toString();
        int open = description.lastIndexOf('(');
        if (open < 0 || !description.endsWith(")")) {
            return null;
        }
        String name = "HttpClient-" + description.substring(open + 1, description.length() - 1) + "-SelectorManager";
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElse(null);
    }
}
