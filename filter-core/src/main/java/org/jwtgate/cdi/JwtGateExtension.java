package org.jwtgate.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import java.util.concurrent.atomic.AtomicReference;
import org.jwtgate.revocation.RevocationService;

/**
 * JwtGate's portable CDI extension, registered in
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}. It adds the producers of
 * {@code @Inject JwtPrincipal} and {@code @Inject RevocationService} ({@link JwtGateProducers})
 * whatever the application's bean discovery mode, and holds the revocation API of the first
 * {@code JwtAuthFilter} that starts in the container (the same one the ServletContext attribute
 * {@link RevocationService#CONTEXT_ATTRIBUTE} names).
 *
 * <p>An extension rather than a {@code beans.xml}: the jar stays a plain library (no bean
 * archive, nothing scanned), the producers are present in every discovery mode, even with
 * discovery disabled, and without CDI the service file is simply never read.
 */
public class JwtGateExtension implements Extension {

    private final AtomicReference<RevocationService> revocation = new AtomicReference<>();

    void addProducers(@Observes BeforeBeanDiscovery event, BeanManager beanManager) {
        event.addAnnotatedType(JwtGateProducers.class, JwtGateProducers.class.getName());
    }

    /** The first filter to start wins, as for the ServletContext attribute. */
    void publish(RevocationService service) {
        revocation.compareAndSet(null, service);
    }

    void withdraw(RevocationService service) {
        revocation.compareAndSet(service, null);
    }

    /** @throws IllegalStateException before any JwtAuthFilter has started in this container */
    RevocationService revocationService() {
        RevocationService service = revocation.get();
        if (service == null) {
            throw new IllegalStateException("No JwtAuthFilter has started in this CDI container yet: "
                    + "inject Instance<RevocationService> (or Provider) and call get() once requests flow");
        }
        return service;
    }
}
