package org.jwtgate.internal.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Enumeration;
import java.util.UUID;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.config.CsrfMode;
import org.jwtgate.config.DpopSettings;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.dpop.DpopProof;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.internal.dpop.TargetUri;
import org.jwtgate.internal.log.AuditLog;
import org.jwtgate.internal.log.AuditSource;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.log.Throttle;
import org.jwtgate.internal.revocation.ProofRecordFullException;
import org.jwtgate.internal.revocation.ProofRecordId;
import org.jwtgate.internal.revocation.RequestDeadline;
import org.jwtgate.internal.token.BearerTokenResolver;
import org.jwtgate.internal.token.ResolvedToken;
import org.jwtgate.internal.token.SingleHeader;
import org.jwtgate.internal.token.TokenSource;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;
import org.jwtgate.web.OriginCsrfGuard;

/**
 * The steps every JwtGate front end takes on a request, built once from one {@link JwtGate}: find
 * the token, verify it and check its revocation (honouring {@code revocation.failure-mode}), and
 * apply the CSRF rule. The filter and the Jakarta Authentication module call these in their own
 * order and answer with {@link #responder()}; keeping the steps here keeps their behaviour identical.
 *
 * <p>DPoP (RFC 9449) lives here too, so every front end gets it: {@link #verify(HttpServletRequest, ResolvedToken)}
 * checks the request's one {@code DPoP} proof for a token sent with the {@code DPoP} scheme, and refuses
 * a DPoP-bound token sent as a bearer token (and, with {@code dpop.mode=required}, any bearer token).
 *
 * <p>So do certificate-bound tokens (RFC 8705 §3, {@link CertificateBinding}): in either scheme and every
 * {@code dpop.mode}, a token whose {@code cnf} names a client certificate ({@code x5t#S256}) passes only on a request
 * that presented that certificate.
 */
public final class TokenAuthentication {

    /** The request header carrying the proof (RFC 9449 §4.1). */
    public static final String DPOP_HEADER = "DPoP";
    /**
     * The request attribute of {@link #proofRecordIdOf}: the {@link ProofRecordId}'s {@linkplain ProofRecordId#attribute()
     * 128 random bits as a UUID}, which no other request's can be. The JDK's UUID, not a JwtGate type: the Jakarta
     * Authentication module registered by the administrator (its jars in the container's {@code lib}) and a filter of
     * the application's own {@code WEB-INF/lib} have each their own copy of JwtGate's classes, and neither recognises
     * the other's instances; and not a String, which a container or an application may make from the client's input.
     */
    private static final String PROOF_RECORD_ID_ATTRIBUTE = "org.jwtgate.internal.proof-record-id";
    /**
     * Set once a front end's check of the request's proof passed (its record id, equal to
     * {@link #PROOF_RECORD_ID_ATTRIBUTE}'s): what lets a forward or async dispatch check the proof again as the same
     * first use. The record id alone is set before the check, and stays on a request whose proof was refused.
     */
    private static final String PROOF_CHECKED_ATTRIBUTE = "org.jwtgate.internal.proof-checked";

    /**
     * A verified, not revoked token. {@code revocationUnchecked}: the store failed and the mode is open;
     * {@code proofReplayUnchecked}: the proof is valid but the store could not record it (mode open);
     * {@code dpopNonce}: a fresh nonce for the answer's {@code DPoP-Nonce} header, or null.
     */
    public record Verified(JwtPrincipal principal, boolean revocationUnchecked, String uncheckedReason,
                           boolean proofReplayUnchecked, String proofUncheckedReason, String dpopNonce,
                           AuditSource auditSource) {

        /** Of no named application: its audit lines carry no {@code filter} and {@code context}. */
        public Verified(JwtPrincipal principal, boolean revocationUnchecked, String uncheckedReason,
                        boolean proofReplayUnchecked, String proofUncheckedReason, String dpopNonce) {
            this(principal, revocationUnchecked, uncheckedReason, proofReplayUnchecked, proofUncheckedReason, dpopNonce,
                    AuditSource.unnamed());
        }

        /** Passed although a check could not run (revocation, or the proof's one-time record): a fail-open pass. */
        public boolean passedUnchecked() {
            return revocationUnchecked || proofReplayUnchecked;
        }

        /**
         * Writes each check a fail-open pass skipped to the audit trail (sub and jti, never the token). The front
         * end calls it once the request really passes: a later refusal (roles, CSRF) is not a pass.
         */
        public void auditUncheckedPasses() {
            if (revocationUnchecked) {
                AuditLog.warn(auditSource, "fail-open", "outcome", "allowed-unchecked", "check", "revocation", "sub", principal.subject(),
                        "iss", principal.issuer(), "jti", principal.tokenId(), "reason", uncheckedReason);
            }
            if (proofReplayUnchecked) {
                // The proof is valid: only its one-time record is missing.
                AuditLog.warn(auditSource, "fail-open", "outcome", "allowed-unchecked", "check", "dpop-proof-replay",
                        "sub", principal.subject(), "iss", principal.issuer(), "jti", principal.tokenId(),
                        "reason", proofUncheckedReason);
            }
        }
    }

    private final JwtGate gate;
    /** The application the fail-open audit lines name: its revocation service's, as the front end named it. */
    private final AuditSource auditSource;
    private final GateMetrics metrics;
    private final BearerTokenResolver resolver;
    private final BearerErrorResponder responder;
    private final OriginCsrfGuard csrfGuard;
    private final boolean failOpen;
    /** {@code revocation.store=none}: the only store with which a token may lack {@code jti} or {@code sub}. */
    private final boolean noRevocationStore;
    private final int retryAfterSeconds;
    private final DpopSettings.Mode dpopMode;
    /** One "Answering 503" WARN per 10 s: every 503 is counted in the metrics, an outage must not flood the log. */
    private final Throttle unavailableWarnings = new Throttle(Duration.ofSeconds(10));

    public TokenAuthentication(JwtGate gate) {
        this.metrics = GateMetrics.of(gate);
        JwtGateConfig config = gate.config();
        this.gate = gate;
        this.auditSource = AuditSource.of(gate.revocation());
        this.dpopMode = config.dpop().mode();
        this.resolver = new BearerTokenResolver(config.token(), config.dpop().enabled());
        this.responder = new BearerErrorResponder(config.realm(), config.dpop());
        this.csrfGuard = config.csrfMode() == CsrfMode.ORIGIN ? new OriginCsrfGuard() : null;
        this.failOpen = config.revocation().failureMode() == RevocationSettings.FailureMode.OPEN;
        this.noRevocationStore = config.revocation().store() == RevocationSettings.StoreType.NONE;
        this.retryAfterSeconds = config.revocation().retryAfterSeconds();
    }

    /** The token the request carries, none, or a malformed or ambiguous request. */
    public ResolvedToken resolve(HttpServletRequest request) {
        return resolver.resolve(request);
    }

    /**
     * Verifies a token presented as a bearer token (the {@code Bearer} scheme or the cookie) and checks that
     * it is not revoked. A fail-open pass is audited by the front end once the request passes
     * ({@link Verified#auditUncheckedPasses()}). With {@code dpop.mode=allowed} a DPoP-bound token is refused here (a downgrade,
     * RFC 9449 §7.2); with {@code required} every bearer token is. With no request, no client certificate: a
     * certificate-bound token is refused ({@link Rejection#CERTIFICATE_MISMATCH}); front ends call
     * {@link #verify(HttpServletRequest, ResolvedToken)}.
     *
     * @throws InvalidTokenException            refused, revoked included ({@link Rejection#REVOKED})
     * @throws RevocationUnavailableException   the store could not answer and {@code revocation.failure-mode=closed}
     * @throws org.jwtgate.verify.KeysUnavailableException no key set could be loaded yet
     */
    public Verified verify(String token) {
        return verifyBearer(token, null);
    }

    /** {@link #verify(String)} on {@code request} (null: none), whose client certificate a bound token must match. */
    private Verified verifyBearer(String token, HttpServletRequest request) {
        if (dpopMode == DpopSettings.Mode.REQUIRED) {
            throw new InvalidTokenException(Rejection.DPOP_REQUIRED);
        }
        JwtPrincipal principal = gate.verify(token);
        if (dpopMode == DpopSettings.Mode.ALLOWED && principal.claimsDpopBinding()) {
            throw new InvalidTokenException(Rejection.DPOP_BOUND_AS_BEARER);
        }
        // Per request, after the cache: the principal is shared by every request carrying the token.
        CertificateBinding.check(principal, request);
        return checkRevocation(principal, false, null, null);
    }

    /**
     * Verifies the token the request carries with the scheme it came with: a bearer token as
     * {@link #verify(String)}; a {@code DPoP} one with the request's one {@code DPoP} proof, which must be
     * valid for this request, signed by the key the token is bound to, and used for the first time
     * (recorded in the revocation store; when the store fails and the mode is open, the request passes
     * with {@code proofReplayUnchecked}). The proof's record and the revocation check share one Redis retry
     * budget ({@link RequestDeadline}) while Redis does not answer: a hung master holds the request for one budget,
     * not two; a record Redis answered leaves the check its own. The principal of
     * a DPoP request is {@linkplain JwtPrincipal#isSenderConstrained() sender-constrained}. In either scheme a
     * certificate-bound token ({@code cnf.x5t#S256}, RFC 8705) must come with the client certificate it names
     * ({@link CertificateBinding}), checked before the proof is recorded or the revocation asked.
     *
     * @throws InvalidDpopProofException the proof is missing, repeated or refused; on a forward or async dispatch of a
     *                                   request whose proof no front end checked on arrival, always
     *                                   ({@link DpopRejection#NOT_CHECKED_ON_ARRIVAL})
     * @throws InvalidTokenException     the token is refused, revoked, not bound to the proof's key, or bound to a client
     *                                   certificate the request did not present ({@link Rejection#CERTIFICATE_MISMATCH})
     * @throws RevocationUnavailableException the store could not answer and {@code revocation.failure-mode=closed}
     */
    public Verified verify(HttpServletRequest request, ResolvedToken resolved) {
        if (resolved.scheme() != ResolvedToken.Scheme.DPOP) {
            return verifyBearer(resolved.token(), request);
        }
        DispatcherType dispatch = request.getDispatcherType();
        if ((dispatch == DispatcherType.FORWARD || dispatch == DispatcherType.ASYNC)
                && !proofChecked(request)) {
            // No JwtGate front end checked the proof where the request arrived (a paths.exclude page, a page outside
            // the filter's mapping), so nothing recorded it: a captured request replayed there with another query would
            // pass here as the proof's first use. One checked by another front end (a second filter, the module) is
            // checked again under that check's record id: the same first use.
            throw new InvalidDpopProofException(DpopRejection.NOT_CHECKED_ON_ARRIVAL);
        }
        String proof = singleProof(request);
        String token = resolved.token();
        JwtPrincipal principal = gate.verify(token);
        CertificateBinding.check(principal, request); // before the proof's one use is recorded
        URI uri = requestUri(request);
        if (uri == null) {
            throw new InvalidDpopProofException(DpopRejection.URI_MISMATCH);
        }
        // Read (and kept with the request) before any per-thread scope opens: setAttribute runs the application's
        // attribute listeners, and one that throws must not leave a scope on the container's pooled thread.
        ProofRecordId proofRecordId = proofRecordIdOf(request);
        Verified checked;
        RequestDeadline.Scope redisTime = RequestDeadline.open();
        RequestDeadline.Scope recordId = proofRecordId.open();
        try {
            String nonce = null;
            boolean replayUnchecked = false;
            String replayReason = null;
            try {
                DpopProof verified = gate.verifyDpopProof(proof, request.getMethod(), uri, token, principal);
                nonce = verified.nextNonce().orElse(null);
            } catch (RevocationUnavailableException e) {
                // Every other check passed: only the one-time record is missing. A full in-memory record is an
                // attacker's doing, not an outage: failing open there would let any proof be replayed.
                if (!failOpen || e instanceof ProofRecordFullException) {
                    throw e;
                }
                replayUnchecked = true;
                replayReason = e.getMessage();
            }
            checked = checkRevocation(principal.asSenderConstrained(), replayUnchecked, replayReason, nonce);
        } finally {
            recordId.close();
            redisTime.close();
        }
        request.setAttribute(PROOF_CHECKED_ATTRIBUTE, proofRecordId.attribute()); // after the scopes: a listener may throw
        return checked;
    }

    /**
     * The id this request's proof records carry, kept with the request: a second JwtGate on it (another filter, the
     * module) records the same proof as the same first use, where a new id would find it used and answer 401.
     */
    private static ProofRecordId proofRecordIdOf(HttpServletRequest request) {
        ProofRecordId kept = ProofRecordId.parse(request.getAttribute(PROOF_RECORD_ID_ATTRIBUTE));
        if (kept != null) {
            return kept;
        }
        ProofRecordId id = ProofRecordId.fresh();
        request.setAttribute(PROOF_RECORD_ID_ATTRIBUTE, id.attribute());
        return id;
    }

    /**
     * Whether a front end's check of this request's proof passed: its record id, as the request keeps it. Both
     * attributes are compared as the UUIDs they are; anything else (a String, another loader's ProofRecordId) never
     * counts, as in {@link ProofRecordId#parse}.
     */
    private static boolean proofChecked(HttpServletRequest request) {
        return request.getAttribute(PROOF_RECORD_ID_ATTRIBUTE) instanceof UUID kept
                && kept.equals(request.getAttribute(PROOF_CHECKED_ATTRIBUTE));
    }

    private Verified checkRevocation(JwtPrincipal principal, boolean replayUnchecked, String replayReason, String nonce) {
        Verified verified;
        try {
            // Without a store nothing is revoked, and a token may lack jti or sub, which the revocation API refuses.
            boolean unchecked = noRevocationStore && (principal.tokenId() == null || principal.subject() == null);
            if (!unchecked && gate.revocation().isRevoked(principal)) {
                throw new InvalidTokenException(Rejection.REVOKED);
            }
            verified = new Verified(principal, false, null, replayUnchecked, replayReason, nonce, auditSource);
        } catch (RevocationUnavailableException e) {
            if (!failOpen) {
                throw e;
            }
            verified = new Verified(principal, true, e.getMessage(), replayUnchecked, replayReason, nonce, auditSource);
        }
        return verified;
    }

    /**
     * RFC 9449 §4.3 step 1: exactly one {@code DPoP} header, read as the token's header is ({@link SingleHeader}:
     * as the application sees it, another filter's request wrapper honoured).
     */
    private static String singleProof(HttpServletRequest request) {
        SingleHeader header = SingleHeader.read(request, DPOP_HEADER);
        if (header.repeated()) {
            throw new InvalidDpopProofException(DpopRejection.MULTIPLE);
        }
        String proof = header.value();
        if (proof == null || proof.isBlank()) {
            throw new InvalidDpopProofException(DpopRejection.MISSING);
        }
        if (proof.indexOf(',') >= 0) {
            // Two header fields folded into one by an intermediary: a compact JWS never holds a comma.
            throw new InvalidDpopProofException(DpopRejection.MULTIPLE);
        }
        return proof.strip();
    }

    /**
     * Letters, digits, {@code - . _ ~}, and an IPv6 literal's {@code : [ ] %}: a {@code Host} of {@code
     * api.example/read?} would otherwise make {@code https://api.example/read?:443/admin} of a request for /admin, and
     * a proof for /read match it. Tomcat and Jetty refuse such a header themselves (400); a request wrapper may not.
     */
    private static boolean isHostShaped(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:[]%".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The raw path the client asked for on a forward or async dispatch, or null when it cannot be told. The dispatch's
     * getRequestURI() is its target's, so a proof naming the target, which the client never requested, passed there;
     * the container keeps the client's in an attribute (Servlet 6.0 §9.4.2, §2.3.3.3), the first dispatch's of a chain
     * of one kind. A chain of both (a forward, then an async dispatch, or the reverse) holds both attributes, the
     * client's path in either: when they differ, none is trusted, and the proof is refused.
     */
    private static String clientPathOfDispatch(HttpServletRequest request, DispatcherType dispatch) {
        Object forwarded = request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI);
        Object dispatched = request.getAttribute(AsyncContext.ASYNC_REQUEST_URI);
        if (forwarded != null && dispatched != null && !forwarded.equals(dispatched)) {
            return null;
        }
        return (dispatch == DispatcherType.FORWARD ? forwarded : dispatched) instanceof String path ? path : null;
    }

    /**
     * The URI the request was received at — scheme, {@code Host}, port and the raw path, no query — in the
     * normalised form the proof's {@code htu} is compared with; null when the request's own parts make no URI or
     * its path is {@linkplain TargetUri#isAmbiguousPath ambiguous}. On a forward or async dispatch, the client's
     * path, not the target's: a proof names the URI its request was sent to (RFC 9449 §4.3); null where a chain of
     * both kinds hides it.
     */
    static URI requestUri(HttpServletRequest request) {
        String host = request.getServerName();
        if (host == null || host.isEmpty() || !isHostShaped(host)) {
            return null;
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        DispatcherType dispatch = request.getDispatcherType();
        String path;
        if (dispatch == DispatcherType.FORWARD || dispatch == DispatcherType.ASYNC) {
            path = clientPathOfDispatch(request, dispatch);
            if (path == null) {
                return null;
            }
        } else {
            path = request.getRequestURI(); // an include's is the client's already
        }
        if (path != null && TargetUri.isAmbiguousPath(path)) {
            return null;
        }
        String normalized = TargetUri.normalize(request.getScheme() + "://" + host + ":" + request.getServerPort()
                + (path == null || path.isEmpty() ? "/" : path));
        if (normalized == null) {
            return null;
        }
        try {
            return URI.create(normalized);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Whether {@code csrf.mode=origin} refuses the request: an unsafe method, or a WebSocket opening handshake,
     * authenticated by the cookie that does not prove it comes from this origin. Header-authenticated requests are
     * exempt.
     */
    public boolean refusesCrossSite(HttpServletRequest request, ResolvedToken resolved) {
        return csrfGuard != null && resolved.source() == TokenSource.COOKIE
                && (OriginCsrfGuard.isUnsafeMethod(request.getMethod()) || isWebSocketUpgrade(request))
                && !csrfGuard.isSameOrigin(request);
    }

    /**
     * Whether an {@code Upgrade} field names {@code websocket} (RFC 6455 §4.1): a GET, but the socket it opens acts as
     * the user, so a cross-site one is the hijacking {@code csrf.mode} is there to stop. Upgrade is a comma list of
     * case-insensitive protocols, {@code name[/version]}, in one field or several (RFC 9110 §7.8). HTTP/2's
     * bootstrapping (RFC 8441) is a CONNECT, an unsafe method already.
     */
    private static boolean isWebSocketUpgrade(HttpServletRequest request) {
        Enumeration<String> fields = request.getHeaders("Upgrade");
        while (fields != null && fields.hasMoreElements()) {
            String field = fields.nextElement();
            for (String protocol : field == null ? new String[0] : field.split(",")) {
                int slash = protocol.indexOf('/');
                if ((slash < 0 ? protocol : protocol.substring(0, slash)).trim().equalsIgnoreCase("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Loads now every class of this application that its refusals need ({@link RefusalClasses}): Jetty 12 closes the
     * application's class loader with requests still inside.
     */
    public void loadRefusalClasses() {
        RefusalClasses.loadAhead(responder, retryAfterSeconds);
    }

    /** Writes every refusal as RFC 6750 (and RFC 9449) say. */
    public BearerErrorResponder responder() {
        return responder;
    }

    /**
     * Logs that a request is answered 503, to the front end's own logger, at most once per 10 s; the line says
     * how many more 503s it stands for.
     */
    public void warnUnavailable(Log log, String method, String path, String reason) {
        long held = unavailableWarnings.pass();
        if (held >= 0) {
            log.warn("Answering 503 to {} {}: {}{}", method, path, reason,
                    held == 0 ? "" : " (and to " + held + " more requests since the last such line)");
        }
    }

    /** {@code Retry-After} of a 503. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public JwtGate gate() {
        return gate;
    }

    /** Where the front end counts how each request ended. */
    public GateMetrics metrics() {
        return metrics;
    }

    /** The refusal reason of a rejected token, for the metrics: a fixed, low-cardinality set. */
    public static GateMetrics.Reason reasonOf(Rejection rejection) {
        return switch (rejection) {
            case EXPIRED -> GateMetrics.Reason.EXPIRED;
            case NOT_YET_VALID -> GateMetrics.Reason.NOT_YET_VALID;
            case REVOKED -> GateMetrics.Reason.REVOKED;
            default -> rejection.name().startsWith("DPOP") ? GateMetrics.Reason.DPOP : GateMetrics.Reason.INVALID;
        };
    }
}
