package org.jwtgate.internal.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.ClosedStores;
import org.jwtgate.internal.revocation.ProofRecordFullException;
import org.jwtgate.internal.token.ResolvedToken;
import org.jwtgate.internal.verify.JwtVerifier;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;
import org.jwtgate.verify.Rejection;

/**
 * Loads ahead every class the refusals need, by writing each refusal once, with the front end's own responder, into a
 * response that sends nothing ({@link DiscardingResponse}), by classifying a token failure (jose4j's classes, which a
 * WAR holds in {@code WEB-INF/lib}) and by making the exceptions a closed gate throws. Jetty 12 destroys a filter, and
 * closes a module, without waiting for the requests inside it, then closes the application's class loader: a request
 * that needs a class not loaded yet (a closed store's {@link ClosedStores}, an expired token's {@link Rejection}, where
 * the application had seen only good tokens) fails with a {@code NoClassDefFoundError}, which Jetty answers 500.
 *
 * <p>Nothing is logged or counted. Not covered: an application whose protected paths got no request before the stop
 * still needs the classes that read and parse a token (JwtGate's and jose4j's) on the first request to them after it.
 */
final class RefusalClasses {

    private static final Log LOG = Log.of(RefusalClasses.class);

    private RefusalClasses() {
    }

    /** Loads them; a failure is logged and changes nothing else. */
    static void loadAhead(BearerErrorResponder responder, int retryAfterSeconds) {
        HttpServletResponse nowhere = DiscardingResponse.INSTANCE;
        try {
            JwtVerifier.loadRejectionClasses();
            for (Rejection rejection : Rejection.values()) {
                InvalidTokenException refused = new InvalidTokenException(rejection);
                TokenAuthentication.reasonOf(refused.rejection());
                refused.rejection().detail();
                responder.invalidToken(nowhere, ResolvedToken.Scheme.BEARER, refused.rejection().publicDescription());
                responder.invalidToken(nowhere, ResolvedToken.Scheme.DPOP, refused.rejection().publicDescription());
            }
            for (DpopRejection rejection : DpopRejection.values()) {
                InvalidDpopProofException refused = new InvalidDpopProofException(rejection, "nonce");
                refused.rejection().detail();
                responder.invalidDpopProof(nowhere, refused.rejection(), refused.freshNonce().orElse(null));
            }
            // What a closed gate throws, and the class a failed proof record is checked against.
            ClosedStores.failure("loading ahead");
            new KeysUnavailableException("loading ahead");
            ProofRecordFullException.class.getName();
            GateMetrics.Outcome.values();
            // What a write Redis refuses (NOREPLICAS ...) notes for health before its 503: a fresh set, no one's.
            GateMetrics aside = new GateMetrics();
            aside.writesRefused(GateMetrics.RedisWrite.PROOF_RECORD, "loading ahead");
            aside.lastWritesRefused(GateMetrics.RedisWrite.PROOF_RECORD);
            responder.unavailable(nowhere, retryAfterSeconds);
            responder.missingToken(nowhere);
            responder.missingTokenChallenge(nowhere);
            // The wrapper of an anonymous request on a paths.optional path, and what its authenticate() answers with.
            AnonymousRequest.class.getName();
            CertificateBinding.class.getName(); // runs on each request of a certificate-bound token
            Challenge.class.getName();
            responder.invalidRequest(nowhere, ResolvedToken.Scheme.BEARER);
            responder.invalidRequest(nowhere, ResolvedToken.Scheme.DPOP);
            responder.insufficientScope(nowhere, ResolvedToken.Scheme.BEARER, Set.of("role"));
            responder.crossSiteRefused(nowhere);
            Log.loadClasses(); // the lines logged before those answers, and a fail-open pass's audit line
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.warn("Could not load ahead the classes of JwtGate's refusals", e); // not expected
        }
    }
}
