package org.jwtgate.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Qualifier;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.jwtgate.principal.JwtPrincipal;

/**
 * A JwtPrincipal of the application's own qualifier (a fixed service account for batch jobs, built with the public
 * constructor) is not the request's: a long-lived bean may take it, directly or through a @Dependent bean it holds.
 * Before, the extension refused every JwtPrincipal injection point by its type alone (a probe's find).
 */
class QualifiedPrincipalTest {

    @Qualifier
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
    public @interface ServiceAccount {
    }

    @Dependent
    public static class ServiceAccountProducer {
        static final JwtPrincipal SYSTEM = new JwtPrincipal("batch-system", "batch-system", "https://issuer.example",
                "svc-1", Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), Set.of("batch"), Map.of());

        @Produces
        @ServiceAccount
        JwtPrincipal serviceAccount() {
            return SYSTEM;
        }
    }

    @ApplicationScoped
    public static class NightlyJob {
        @Inject
        @ServiceAccount
        JwtPrincipal runAs;

        String runAsName() {
            return runAs.getName();
        }
    }

    @Dependent
    public static class BatchClient {
        @Inject
        @ServiceAccount
        JwtPrincipal identity;
    }

    @ApplicationScoped
    public static class Scheduler {
        @Inject
        BatchClient client;

        String clientName() {
            return client.identity.getName();
        }
    }

    /** @Any reaches JwtGate's producer too (the only JwtPrincipal here): still refused. */
    @ApplicationScoped
    public static class AnyPrincipalHolder {
        @Inject
        @Any
        JwtPrincipal user;
    }

    @Test
    void whenALongLivedBeanInjectsTheApplicationsOwnQualifiedPrincipalThenTheContainerStarts() {
        try (WeldContainer weld = new Weld().disableDiscovery().addExtension(new JwtGateExtension())
                .addBeanClass(ServiceAccountProducer.class).addBeanClass(NightlyJob.class).initialize()) {
            assertEquals("batch-system", weld.select(NightlyJob.class).get().runAsName());
        }
    }

    @Test
    void whenALongLivedBeanHoldsADependentTakingTheQualifiedPrincipalThenTheContainerStarts() {
        try (WeldContainer weld = new Weld().disableDiscovery().addExtension(new JwtGateExtension())
                .addBeanClass(ServiceAccountProducer.class).addBeanClass(BatchClient.class).addBeanClass(Scheduler.class)
                .initialize()) {
            assertEquals("batch-system", weld.select(Scheduler.class).get().clientName());
        }
    }

    @Test
    void whenALongLivedBeanInjectsAnyPrincipalThenTheContainerRefusesToStart() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> new Weld().disableDiscovery()
                .addExtension(new JwtGateExtension()).addBeanClass(AnyPrincipalHolder.class).initialize().close());
        assertTrue(String.valueOf(refused.getMessage()).contains("AnyPrincipalHolder] (@ApplicationScoped) injects JwtPrincipal"),
                refused.getMessage());
    }
}
