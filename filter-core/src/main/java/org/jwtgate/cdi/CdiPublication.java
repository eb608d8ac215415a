package org.jwtgate.cdi;

import jakarta.enterprise.inject.spi.CDI;
import org.jwtgate.revocation.RevocationService;

/** Uses the CDI API; loaded only through {@link CdiSupport} once the API is known to be present. */
final class CdiPublication {

    private CdiPublication() {
    }

    /** @throws IllegalStateException when no container runs; IllegalArgumentException when it lacks the extension */
    static void publish(RevocationService service) {
        extension().publish(service);
    }

    static void withdraw(RevocationService service) {
        extension().withdraw(service);
    }

    private static JwtGateExtension extension() {
        return CDI.current().getBeanManager().getExtension(JwtGateExtension.class);
    }
}
