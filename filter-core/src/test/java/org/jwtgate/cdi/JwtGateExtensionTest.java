package org.jwtgate.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.MemoryRevocationStore;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.testing.TestTokens;

/** The extension and its producers under a real Weld SE container, without any servlet container. */
class JwtGateExtensionTest {

    /** A bean created per use, as request-handling code would be. */
    @Dependent
    public static class Greeter {
        @Inject
        JwtPrincipal principal;
        @Inject
        Instance<RevocationService> revocation;
    }

    /** Discovery off, so the extension is added by hand (Weld SE reads service files only when discovering). */
    private static WeldContainer boot() {
        return new Weld().disableDiscovery().addBeanClass(Greeter.class).addExtension(new JwtGateExtension())
                .initialize();
    }

    @Test
    void whenDiscoveryOnThenExtensionLoadedFromServiceFileWithoutBeansXml() {
        try (WeldContainer weld = new Weld().addBeanClass(Greeter.class).initialize()) {
            assertTrue(weld.select(JwtPrincipal.class).isResolvable());
            assertTrue(weld.select(RevocationService.class).isResolvable());
        }
    }

    private static RevocationService memoryService() {
        JwtGateConfig config = JwtGateConfig.of(TestTokens.settings());
        return new RevocationService(new MemoryRevocationStore(), config.revocation(), config.verification(),
                Clock.systemUTC());
    }

    @Test
    @SuppressWarnings("try") // the binding is used for its scope only
    void whenPrincipalBoundThenInjectedPrincipalIsIt() {
        try (WeldContainer weld = boot()) {
            JwtPrincipal alice = CurrentPrincipalTest.principal("alice");
            try (CurrentPrincipal.Binding ignored = CurrentPrincipal.bind(alice)) {
                assertSame(alice, weld.select(Greeter.class).get().principal);
                assertSame(alice, weld.select(JwtPrincipal.class).get());
            }
        }
    }

    @Test
    void whenNoPrincipalBoundThenInjectedPrincipalIsNull() {
        try (WeldContainer weld = boot()) {
            assertNull(weld.select(Greeter.class).get().principal);
        }
    }

    @Test
    void whenServicePublishedThenInjectedAndWithdrawnThenRefusedWithAdvice() {
        try (WeldContainer weld = boot()) {
            RevocationService service = memoryService();
            CdiSupport.publish(service);
            assertSame(service, weld.select(Greeter.class).get().revocation.get());

            CdiSupport.withdraw(service);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> weld.select(Greeter.class).get().revocation.get());
            assertTrue(e.getMessage().contains("No JwtAuthFilter has started"), e.getMessage());
        }
    }

    @Test
    void whenTwoServicesPublishedThenFirstWinsUntilWithdrawn() {
        try (WeldContainer weld = boot()) {
            RevocationService first = memoryService();
            RevocationService second = memoryService();
            CdiSupport.publish(first);
            CdiSupport.publish(second);
            assertSame(first, weld.select(RevocationService.class).get());
            CdiSupport.withdraw(second); // not the published one: no effect
            assertSame(first, weld.select(RevocationService.class).get());
            CdiSupport.withdraw(first);
        }
    }

    @Test
    void whenNoContainerRunsThenPublishIsHarmless() {
        RevocationService service = memoryService();
        CdiSupport.publish(service); // CDI.current() fails inside: swallowed
        CdiSupport.withdraw(service);
        assertEquals(true, CdiSupport.isCdiOnClasspath());
    }
}
