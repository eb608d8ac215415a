package org.jwtgate.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Whether a running JwtGate can do its job, for a readiness probe:
 * <ul>
 *   <li>{@code UP}: keys loaded, the revocation store answers, the near-cache (if any) is fresh;</li>
 *   <li>{@code DEGRADED}: requests are still answered correctly, but something needs a look — the near-cache
 *       is not fresh while Redis answers (every check reads Redis), a recent revocation was not confirmed by
 *       the replicas {@code revocation.min-replicas} asks for, or the store is down while failing open or
 *       while the near-cache is fresh (checks answered locally; revocations, and with DPoP the proof records
 *       on the node that is down, may fail), or with DPoP a proof met a full record in the last minute (new DPoP
 *       requests get 503 until it has room);</li>
 *   <li>{@code DOWN}: protected requests are answered 503 — the store is unreachable while failing closed and
 *       the near-cache is not fresh (or off); with DPoP, Redis refuses the proof records (an ACL without their
 *       script, commands or keys) while failing closed, however fresh the near-cache (DPoP requests get 503);
 *       or no JWKS key has been loaded.</li>
 * </ul>
 *
 * <pre>{@code
 * Health health = filter.health();            // or JwtGate.health()
 * int status = health.status() == Health.Status.DOWN ? 503 : 200;
 * health.details();                          // {keys=secret, revocation-store=redis-cluster up, ...}
 * }</pre>
 *
 * @param status  the verdict
 * @param details what each part says, in a fixed order; low-cardinality text, never a secret
 * @since 1.0.0
 */
public record Health(Status status, Map<String, String> details) {

    /** The verdict, worst last. */
    public enum Status {
        /** Keys loaded, the revocation store answers, the near-cache (if any) is fresh. */
        UP,
        /** Requests are still answered correctly, but something needs a look. */
        DEGRADED,
        /** Protected requests are answered 503. */
        DOWN
    }

    /**
     * Copies the details, keeping their order.
     *
     * @param status  the verdict
     * @param details what each part says
     * @throws NullPointerException when {@code status} or {@code details} is null
     */
    public Health {
        Objects.requireNonNull(status, "status");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** {@code UP (keys=secret, revocation-store=redis-cluster up, ...)}: one line for a log or a probe's body. */
    @Override
    public String toString() {
        // Joined, not told by the last character written: a detail ending in "(" lost the ", " after it.
        StringJoiner text = new StringJoiner(", ", status.name() + " (", ")");
        details.forEach((part, state) -> text.add(part + "=" + state));
        return text.toString();
    }
}
