package org.jwtgate.internal.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jwtgate.config.CsrfMode;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.internal.token.BearerTokenResolver;
import org.jwtgate.internal.token.ResolvedToken;
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
 */
public final class TokenAuthentication {

    /** A verified, not revoked token; {@code revocationUnchecked} when the store failed and the mode is open. */
    public record Verified(JwtPrincipal principal, boolean revocationUnchecked, String uncheckedReason) {
    }

    private final JwtGate gate;
    private final BearerTokenResolver resolver;
    private final BearerErrorResponder responder;
    private final OriginCsrfGuard csrfGuard;
    private final boolean failOpen;
    private final int retryAfterSeconds;

    public TokenAuthentication(JwtGate gate) {
        JwtGateConfig config = gate.config();
        this.gate = gate;
        this.resolver = new BearerTokenResolver(config.token());
        this.responder = new BearerErrorResponder(config.realm());
        this.csrfGuard = config.csrfMode() == CsrfMode.ORIGIN ? new OriginCsrfGuard() : null;
        this.failOpen = config.revocation().failureMode() == RevocationSettings.FailureMode.OPEN;
        this.retryAfterSeconds = config.revocation().retryAfterSeconds();
    }

    /** The token the request carries, none, or a malformed or ambiguous request. */
    public ResolvedToken resolve(HttpServletRequest request) {
        return resolver.resolve(request);
    }

    /**
     * Verifies the token and checks that it is not revoked.
     *
     * @throws InvalidTokenException            refused, revoked included ({@link Rejection#REVOKED})
     * @throws RevocationUnavailableException   the store could not answer and {@code revocation.failure-mode=closed}
     * @throws org.jwtgate.verify.KeysUnavailableException no key set could be loaded yet
     */
    public Verified verify(String token) {
        JwtPrincipal principal = gate.verify(token);
        try {
            if (gate.revocation().isRevoked(principal)) {
                throw new InvalidTokenException(Rejection.REVOKED);
            }
            return new Verified(principal, false, null);
        } catch (RevocationUnavailableException e) {
            if (!failOpen) {
                throw e;
            }
            return new Verified(principal, true, e.getMessage());
        }
    }

    /**
     * Whether {@code csrf.mode=origin} refuses the request: an unsafe method authenticated by the
     * cookie that does not prove it comes from this origin. Header-authenticated requests are exempt.
     */
    public boolean refusesCrossSite(HttpServletRequest request, ResolvedToken resolved) {
        return csrfGuard != null && resolved.source() == TokenSource.COOKIE
                && OriginCsrfGuard.isUnsafeMethod(request.getMethod()) && !csrfGuard.isSameOrigin(request);
    }

    /** Writes every refusal as RFC 6750 says. */
    public BearerErrorResponder responder() {
        return responder;
    }

    /** {@code Retry-After} of a 503. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public JwtGate gate() {
        return gate;
    }
}
