package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.filter.JwtAuthFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DPoP side of {@code /login} and {@code /refresh} (RFC 9449 §5), through JwtGate's public API: a
 * token request that carries one {@code DPoP} header gets its proof checked by
 * {@link JwtGate#verifyDpopProof(String, String, URI)} — signature, {@code htm}/{@code htu},
 * {@code iat}, nonce, first use anywhere — and the tokens issued are bound to the proof's key. Without
 * the header (or with {@code dpop.mode=off}, which makes the header meaningless here as it is to the
 * filter) the tokens are bearer tokens, as before.
 */
@Singleton
public class DpopTokenRequests {

    private static final Logger LOG = LoggerFactory.getLogger(DpopTokenRequests.class);
    static final String DPOP_HEADER = "DPoP";

    private final boolean enabled;
    private final JwtAuthFilter filter;

    /** @param filter this application's filter: its {@link JwtAuthFilter#gate()} checks the proofs (once started) */
    @Inject
    public DpopTokenRequests(JwtGateConfig config, JwtAuthFilter filter) {
        this.enabled = config.dpop().enabled();
        this.filter = filter;
    }

    /** Whether the request asks for DPoP-bound tokens: DPoP is on and it carries a {@code DPoP} header. */
    public boolean requested(HttpServletRequest request) {
        return enabled && request.getHeaders(DPOP_HEADER) != null && request.getHeaders(DPOP_HEADER).hasMoreElements();
    }

    /**
     * The thumbprint of the key that signed the request's proof, the proof now recorded as used (by its
     * key: a proof is used once, whatever username the request names).
     *
     * @throws InvalidDpopProofException the proof is refused: answer it with {@link #refuse}
     */
    public String verify(HttpServletRequest request) {
        List<String> proofs = Collections.list(request.getHeaders(DPOP_HEADER));
        if (proofs.size() != 1) {
            throw new InvalidDpopProofException(DpopRejection.MULTIPLE);
        }
        URI uri;
        try {
            uri = URI.create(request.getRequestURL().toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidDpopProofException(DpopRejection.URI_MISMATCH);
        }
        return filter.gate().verifyDpopProof(proofs.get(0), request.getMethod(), uri).thumbprint();
    }

    /** 400 {@code invalid_dpop_proof}, or {@code use_dpop_nonce} with a fresh {@code DPoP-Nonce} (RFC 9449 §5, §8). */
    public void refuse(HttpServletRequest request, HttpServletResponse response, InvalidDpopProofException e) throws IOException {
        LOG.debug("Refused {} {}: DPoP proof {}", request.getMethod(), request.getRequestURI(), e.rejection().detail());
        e.freshNonce().ifPresent(nonce -> response.setHeader("DPoP-Nonce", nonce));
        ApiServlet.error(response, 400, e.rejection().errorCode(), e.rejection().publicDescription());
    }
}
