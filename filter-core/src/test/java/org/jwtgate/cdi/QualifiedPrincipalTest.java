package org.jwtgate.cdi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Qualifier;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jboss.weld.environment.se.Weld;
import org.junit.jupiter.api.Test;
import org.jwtgate.principal.JwtPrincipal;

/**
 * The stale-principal check goes by type, whatever the qualifier: an application qualifier whose @Dependent producer
 * hands on JwtGate's per-request principal (an "alias" producer) is the request's principal all the same, and a
 * long-lived bean taking it would keep the first caller's identity (a review's case against a qualifier-based check).
 */
class QualifiedPrincipalTest {

    @Qualifier
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
    public @interface Caller {
    }

    @Dependent
    public static class CallerProducer {
        @Produces
        @Caller
        JwtPrincipal caller(JwtPrincipal current) {
            return current;
        }
    }

    @ApplicationScoped
    public static class AuditService {
        @Inject
        @Caller
        JwtPrincipal caller;
    }

    @Test
    void whenALongLivedBeanTakesAQualifiedAliasOfTheRequestPrincipalThenTheContainerRefusesToStart() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> new Weld().disableDiscovery()
                .addExtension(new JwtGateExtension()).addBeanClass(CallerProducer.class).addBeanClass(AuditService.class)
                .initialize().close());
        assertTrue(String.valueOf(refused.getMessage()).contains("AuditService"), refused.getMessage());
    }

    @Dependent
    public static class CallerClient {
        @Inject
        @Caller
        JwtPrincipal caller;
    }

    @ApplicationScoped
    public static class ClientHolder {
        @Inject
        CallerClient client;
    }

    @Test
    void whenALongLivedBeanHoldsADependentTakingTheQualifiedAliasThenTheContainerRefusesToStart() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> new Weld().disableDiscovery()
                .addExtension(new JwtGateExtension()).addBeanClass(CallerProducer.class).addBeanClass(CallerClient.class)
                .addBeanClass(ClientHolder.class).initialize().close());
        assertTrue(String.valueOf(refused.getMessage()).contains("ClientHolder"), refused.getMessage());
    }
}
