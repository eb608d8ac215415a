package org.jwtgate.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.jwtgate.principal.JwtPrincipal;

/**
 * A bean that takes the principal may also produce a long-lived product that holds none: the container starts (the
 * extension cannot see what a producer reads, so it does not refuse on the declaring bean).
 */
class ProducerOnPrincipalBeanTest {

    /** Proxyable @ApplicationScoped product that holds no principal. */
    public static class AppSettings {
        public String region() {
            return "eu";
        }
    }

    /** A request-scoped "current user" bean (allowed) that also produces an unrelated application-wide object. */
    @RequestScoped
    public static class CurrentUser {
        @Inject
        JwtPrincipal principal;

        public String name() {
            return principal.subject();
        }

        @Produces
        @ApplicationScoped
        AppSettings settings() {
            return new AppSettings(); // reads nothing of the principal
        }
    }

    public static class Caller {
        final String name;

        Caller(String name) {
            this.name = name;
        }
    }

    /** The common "producers" class: a per-request product from the principal, and an unrelated singleton. */
    @Dependent
    public static class Producers {
        @Inject
        JwtPrincipal principal;

        @Produces
        @Dependent
        Caller caller() {
            return new Caller(principal.subject());
        }

        @Produces
        @ApplicationScoped
        AppSettings settings() {
            return new AppSettings();
        }
    }

    @Test
    void requestScopedBeanWithUnrelatedApplicationScopedProducerStarts() {
        try (WeldContainer weld = new Weld().disableDiscovery().addBeanClass(CurrentUser.class)
                .addExtension(new JwtGateExtension()).initialize()) {
            weld.select(AppSettings.class).isResolvable(); // started; the product is made in the first request
        }
    }

    @Test
    void dependentProducersClassWithUnrelatedApplicationScopedProducerStarts() {
        try (WeldContainer weld = new Weld().disableDiscovery().addBeanClass(Producers.class)
                .addExtension(new JwtGateExtension()).initialize()) {
            weld.select(AppSettings.class).get().region();
        }
    }
}
