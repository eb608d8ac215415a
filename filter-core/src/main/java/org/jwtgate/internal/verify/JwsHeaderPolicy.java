package org.jwtgate.internal.verify;

import java.util.List;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.consumer.JwsCustomizer;
import org.jose4j.jwx.JsonWebStructure;

/**
 * Header rules jose4j would otherwise allow (RFC 8725): no nesting, no critical extensions, no
 * unencoded payload ({@code b64}), no compression. Runs as the key is resolved ({@link JwtVerifier}), before the
 * signature is checked. jose4j
 * wraps the {@link HeaderRefused} thrown here in an {@code InvalidJwtException};
 * {@link JwtVerifier} recognises it by cause.
 */
final class JwsHeaderPolicy implements JwsCustomizer {

    @Override
    public void customize(JsonWebSignature jws, List<JsonWebStructure> nestingContext) {
        if (!nestingContext.isEmpty()) {
            throw new HeaderRefused();
        }
        if (ExtensionHeaders.present(jws.getHeaders())) {
            throw new HeaderRefused();
        }
        jws.setKnownCriticalHeaders();
    }

    /** Thrown out of jose4j's processing to stop it early; found among the causes by {@link JwtVerifier}. */
    static final class HeaderRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeaderRefused() {
            super("refused JWS header", null, false, false);
        }
    }
}
