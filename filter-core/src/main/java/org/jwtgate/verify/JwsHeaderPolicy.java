package org.jwtgate.verify;

import java.util.List;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.consumer.JwsCustomizer;
import org.jose4j.jwx.JsonWebStructure;

/**
 * Header rules jose4j would otherwise allow (RFC 8725): no nesting, no unencoded payload
 * ({@code b64}), no compression. Runs before the signature is checked.
 */
final class JwsHeaderPolicy implements JwsCustomizer {

    @Override
    public void customize(JsonWebSignature jws, List<JsonWebStructure> nestingContext) {
        if (!nestingContext.isEmpty()) {
            throw new HeaderRefused();
        }
        if (jws.getHeaders().getObjectHeaderValue("b64") != null
                || jws.getHeaders().getObjectHeaderValue("zip") != null) {
            throw new HeaderRefused();
        }
        // Only the headers jose4j itself understands may be critical; b64 is refused above.
        jws.setKnownCriticalHeaders();
    }

    /** Thrown out of jose4j's processing to stop it early; caught by {@link JwtVerifier}. */
    static final class HeaderRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeaderRefused() {
            super("refused JWS header", null, false, false);
        }
    }
}
