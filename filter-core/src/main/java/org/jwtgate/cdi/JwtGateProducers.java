package org.jwtgate.cdi;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationService;

/**
 * Producers added by {@link JwtGateExtension}. Both types are final classes, which CDI cannot
 * proxy, so both are {@code @Dependent}: each injection reads the current value.
 * <ul>
 *   <li>{@code @Inject JwtPrincipal}: the principal of the request this thread serves, or
 *       {@code null} outside an authenticated request (a public or optional path without a token).
 *       Inject it into beans created per request; in longer-lived beans (servlets,
 *       {@code @ApplicationScoped}) inject {@code Provider<JwtPrincipal>} or
 *       {@code Instance<JwtPrincipal>} and call {@code get()} while serving the request.</li>
 *   <li>{@code @Inject RevocationService}: the revocation API of the first started
 *       {@code JwtAuthFilter}. A bean built before the filter starts injects
 *       {@code Provider<RevocationService>} instead.</li>
 * </ul>
 */
@Dependent
public class JwtGateProducers {

    private final JwtGateExtension extension;

    @Inject
    JwtGateProducers(JwtGateExtension extension) {
        this.extension = extension;
    }

    @Produces
    @Dependent
    JwtPrincipal currentPrincipal() {
        return CurrentPrincipal.get().orElse(null);
    }

    @Produces
    @Dependent
    RevocationService revocationService() {
        return extension.revocationService();
    }
}
