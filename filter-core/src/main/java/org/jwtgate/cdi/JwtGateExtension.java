package org.jwtgate.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;

/**
 * JwtGate's portable CDI extension, registered in
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}. It adds the producers of
 * {@code @Inject JwtPrincipal} (the user of the request being served) and
 * {@code @Inject RevocationService} (the revocation API of the first {@code JwtAuthFilter} that
 * started in this web application: the one the ServletContext attribute
 * {@code org.jwtgate.revocation.RevocationService} names), whatever the application's bean
 * discovery mode.
 *
 * <pre>{@code
 * @RequestScoped
 * public class Account {
 *     @Inject JwtPrincipal user;                 // null outside an authenticated request
 *     @Inject Provider<RevocationService> revocation;
 *
 *     public void logOutEverywhere() { revocation.get().revokeUser(user.subject()); }
 * }
 * }</pre>
 *
 * <p>An extension rather than a {@code beans.xml}: the jar stays a plain library (no bean
 * archive, nothing scanned), the producers are present in every discovery mode, even with
 * discovery disabled (add it with {@code Weld.addExtension(new JwtGateExtension())}), and without
 * CDI the service file is simply never read.
 *
 * @since 1.0.0
 */
public class JwtGateExtension implements Extension {

    void addProducers(@Observes BeforeBeanDiscovery event, BeanManager beanManager) {
        event.addAnnotatedType(JwtGateProducers.class, JwtGateProducers.class.getName());
    }
}
