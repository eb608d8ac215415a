package org.jwtgate.cdi;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationService;

/**
 * Producers added by {@link JwtGateExtension}. Both types are final classes, which CDI cannot
 * proxy, so both are {@code @Dependent}: each injection reads the current value.
 * <ul>
 *   <li>{@code @Inject JwtPrincipal}: the principal of the request this thread serves
 *       ({@link JwtAuthFilter#currentPrincipal()}), or {@code null} outside an authenticated request
 *       (a public or optional path without a token). Inject it into beans created per request; in
 *       longer-lived beans (servlets, {@code @ApplicationScoped}) inject {@code Provider<JwtPrincipal>}
 *       or {@code Instance<JwtPrincipal>} and call {@code get()} while serving the request ({@link JwtGateExtension}
 *       refuses to start a container where such a bean takes {@code JwtPrincipal} itself).</li>
 *   <li>{@code @Inject RevocationService}: the revocation API of the first started
 *       {@code JwtAuthFilter} of the application whose request this thread serves
 *       ({@link JwtAuthFilter#firstStarted()}). A bean built before the filter
 *       starts injects {@code Provider<RevocationService>} instead, and so does a long-lived bean where the filter
 *       can be started again while this CDI container runs: a service injected itself belongs to the filter that ran
 *       when the bean was built, and throws {@code RevocationUnavailableException} once that filter is destroyed.</li>
 * </ul>
 * The class itself carries no scope: {@code @Dependent} there is a bean-defining annotation, which makes the jar an
 * implicit bean archive that a Jakarta EE container scans, finding this class a second time beside the one the
 * extension adds (two beans per type, every injection ambiguous). Added by the extension, it is {@code @Dependent}
 * all the same.
 */
class JwtGateProducers {

    /**
     * Typed as {@code JwtPrincipal} only: Jakarta EE containers provide a {@code java.security.Principal} bean of
     * their own, and a second one would make every {@code @Inject Principal} ambiguous.
     */
    @Produces
    @Dependent
    @Typed(JwtPrincipal.class)
    JwtPrincipal currentPrincipal() {
        return JwtAuthFilter.currentPrincipal().orElse(null);
    }

    /** @throws IllegalStateException before any JwtAuthFilter has started in this web application */
    @Produces
    @Dependent
    RevocationService revocationService() {
        return JwtAuthFilter.firstStarted().map(JwtAuthFilter::revocationService)
                .orElseThrow(() -> new IllegalStateException("No JwtAuthFilter runs in this CDI container (none has"
                        + " started yet, or this application's were destroyed): inject Instance<RevocationService> (or"
                        + " Provider) and call get() once requests flow"));
    }
}
