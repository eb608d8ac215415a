package org.jwtgate.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.List;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.internal.revocation.MemoryRevocationStore;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testkit.tokens.TestTokens;

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

    /** Lives as long as the application: an injected principal would be the first caller's, for every caller. */
    @ApplicationScoped
    public static class AccountService {
        @Inject
        JwtPrincipal principal;
    }

    /** The same mistake through a constructor, in a pseudo-scope. */
    @Singleton
    public static class AuditService {
        final JwtPrincipal principal;

        @Inject
        AuditService(JwtPrincipal principal) {
            this.principal = principal;
        }
    }

    /** Keeps a Greeter, which injects JwtPrincipal, as long as the application: the first caller's, for every caller. */
    @ApplicationScoped
    public static class GreetingService {
        @Inject
        Greeter greeter;
    }

    /** The same, one @Dependent bean further. */
    @Singleton
    public static class Reception {
        final Desk desk;

        @Inject
        Reception(Desk desk) {
            this.desk = desk;
        }
    }

    @Dependent
    public static class Desk {
        @Inject
        Greeter greeter;
    }

    /** A servlet is created once for the application, whatever its scope (the sample hands Jetty such instances). */
    @Dependent
    public static class GreetingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Inject
        transient JwtPrincipal principal;
    }

    /** An interceptor binding, for an audit interceptor that names the caller. */
    @jakarta.interceptor.InterceptorBinding
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target({java.lang.annotation.ElementType.TYPE, java.lang.annotation.ElementType.METHOD})
    public @interface Audited {
    }

    /** Lives as long as the @ApplicationScoped bean it wraps: the first caller's principal for every later one. */
    @Audited
    @jakarta.interceptor.Interceptor
    @jakarta.annotation.Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION)
    public static class CallerAuditInterceptor {
        @Inject
        JwtPrincipal principal;

        @jakarta.interceptor.AroundInvoke
        public Object around(jakarta.interceptor.InvocationContext context) throws Exception {
            return context.proceed();
        }
    }

    /** The same through a @Dependent bean the interceptor holds. */
    @Audited
    @jakarta.interceptor.Interceptor
    @jakarta.annotation.Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION)
    public static class GreeterAuditInterceptor {
        @Inject
        Greeter greeter;

        @jakarta.interceptor.AroundInvoke
        public Object around(jakarta.interceptor.InvocationContext context) throws Exception {
            return context.proceed();
        }
    }

    public interface Greeting {
        String hello();
    }

    @ApplicationScoped
    @Audited
    public static class AuditedGreeting implements Greeting {
        @Override
        public String hello() {
            return "hello";
        }
    }

    /** A decorator of an @ApplicationScoped bean, as long-lived as it. */
    @jakarta.decorator.Decorator
    @jakarta.annotation.Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION)
    public abstract static class CallerNamingGreeting implements Greeting {
        @Inject
        @jakarta.decorator.Delegate
        Greeting delegate;

        @Inject
        JwtPrincipal principal;

        @Override
        public String hello() {
            return delegate.hello() + " " + principal.getName();
        }
    }

    /** A servlet whose bean types hide Servlet ({@code @Typed}): still created once for the application. */
    @Dependent
    @jakarta.enterprise.inject.Typed(TypedServlet.class)
    public static class TypedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Inject
        transient JwtPrincipal principal;
    }

    /** The same with its own class hidden too: {@code @Typed()}. */
    @Dependent
    @jakarta.enterprise.inject.Typed
    public static class UntypedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Inject
        transient JwtPrincipal principal;
    }

    /** The same, keeping the principal in a @Dependent bean it holds. */
    @Dependent
    @jakarta.enterprise.inject.Typed
    public static class UntypedServletKeepingGreeter extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Inject
        transient Greeter greeter;
    }

    /** A @Dependent producer declared in a servlet: called at each injection, allowed (its class is no product). */
    @Dependent
    public static class ProducingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Produces
        @Dependent
        ServletCallerName callerName(JwtPrincipal principal) {
            return new ServletCallerName(principal == null ? "anonymous" : principal.getName());
        }
    }

    public record ServletCallerName(String name) {
    }

    /**
     * A listener is created once for the application by the servlet container, as a servlet is (Servlet 6, 15.5.15:
     * listeners take injection): sessionCreated runs inside the chain of the request that first calls getSession(),
     * so a principal it keeps is the first caller's, shown for every later session.
     */
    @Dependent
    public static class SessionAuditListener implements jakarta.servlet.http.HttpSessionListener {
        @Inject
        JwtPrincipal principal;
    }

    /** The same, no bean: injected by the servlet container as a non-contextual instance. */
    public static class PlainRequestAttributeListener implements jakarta.servlet.ServletRequestAttributeListener {
        @Inject
        JwtPrincipal principal;
    }

    /** A servlet that is no bean: a Jakarta EE container injects it as a non-contextual instance. */
    public static class PlainServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Inject
        transient JwtPrincipal principal;
    }

    /** The same, reading the principal per request. */
    public static class PlainProviderServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Inject
        transient Provider<JwtPrincipal> principal;
    }

    /** Prepares the injection of a class that is no bean at start-up, as a Jakarta EE container does for its servlets. */
    public static class NonContextualInjection implements Extension {
        private final Class<?> component;

        NonContextualInjection(Class<?> component) {
            this.component = component;
        }

        void prepare(@Observes AfterBeanDiscovery event, BeanManager beanManager) {
            beanManager.getInjectionTargetFactory(beanManager.createAnnotatedType(component)).createInjectionTarget(null);
        }
    }

    /** Long-lived beans that take a per-use bean through Provider, or keep one that reads the principal per use. */
    @ApplicationScoped
    public static class GreeterPerUse {
        @Inject
        Provider<Greeter> greeter;
        @Inject
        ProfileReader reader;
    }

    @Dependent
    public static class ProfileReader {
        @Inject
        Provider<JwtPrincipal> principal;
    }

    /** Kept for one request only. */
    @RequestScoped
    public static class RequestGreeting {
        @Inject
        Greeter greeter;
    }

    /** Long-lived beans that read the principal per use: allowed. */
    @ApplicationScoped
    public static class ProfileService {
        @Inject
        Provider<JwtPrincipal> principal;

        JwtPrincipal observed;

        JwtPrincipal current() {
            return principal.get();
        }

        void onGreet(@Observes String greeting, JwtPrincipal current) { // resolved at each event
            observed = current;
        }
    }

    /** What a producer makes of the caller. */
    public record CallerName(String name) {
        static CallerName of(JwtPrincipal caller) {
            return new CallerName(caller == null ? "anonymous" : caller.getName());
        }
    }

    /** An @Singleton product is made once: its producer's JwtPrincipal parameter is resolved for the first caller only. */
    @Dependent
    public static class SingletonCallerNames {
        @Produces
        @Singleton
        CallerName callerName(JwtPrincipal caller) {
            return CallerName.of(caller);
        }
    }

    /** A @Dependent product is made for each injection: its producer's parameter is read each time. */
    @Dependent
    public static class PerUseCallerNames {
        @Produces
        CallerName callerName(JwtPrincipal caller) {
            return CallerName.of(caller);
        }
    }

    @RequestScoped
    public static class RequestAudit {
        @Inject
        JwtPrincipal principal;
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

    /**
     * A Jakarta EE container also scans jars without beans.xml (implicit bean archives) for classes with a
     * bean-defining annotation; Weld SE does when told to. Here it scans filter-core's classes only, as a container
     * scans the jar in WEB-INF/lib. The producers must still be one bean each, or every {@code @Inject JwtPrincipal}
     * is ambiguous and the application does not deploy.
     */
    @Test
    void whenImplicitBeanArchivesAreScannedThenEachProducerIsStillOneBean() throws Exception {
        String classPath = System.getProperty("java.class.path");
        System.setProperty("java.class.path",
                java.nio.file.Path.of(JwtGateExtension.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        try (WeldContainer weld = new Weld().property("jakarta.enterprise.inject.scan.implicit", true)
                .addBeanClass(Greeter.class).initialize()) {
            assertTrue(weld.select(JwtPrincipal.class).isResolvable());
            assertTrue(weld.select(RevocationService.class).isResolvable());
            assertNull(weld.select(Greeter.class).get().principal);
        } finally {
            System.setProperty("java.class.path", classPath);
        }
    }

    /** What a Jakarta EE container provides: a built-in bean of type java.security.Principal. */
    @Dependent
    public static class ContainerPrincipal {
        @Produces
        java.security.Principal caller() {
            return () -> "container-caller";
        }
    }

    @Test
    void whenTheContainerHasItsOwnPrincipalBeanThenBothResolveWithoutAmbiguity() {
        try (WeldContainer weld = new Weld().disableDiscovery().addBeanClasses(Greeter.class, ContainerPrincipal.class)
                .addExtension(new JwtGateExtension()).initialize()) {
            assertTrue(weld.select(java.security.Principal.class).isResolvable(), "@Inject Principal is the container's");
            assertEquals("container-caller", weld.select(java.security.Principal.class).get().getName());
            assertTrue(weld.select(JwtPrincipal.class).isResolvable());
        }
    }

    /** A started filter on a memory store: it publishes its revocation API as a container would see it. */
    private static JwtAuthFilter startedFilter() throws ServletException {
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(TestTokens.settings()).sources(ConfigSources.none())
                .revocationStore(new MemoryRevocationStore()).build();
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("jwtgate");
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        filter.init(config);
        return filter;
    }

    /** Runs {@code inside} as the filter chain of an authenticated request for {@code principal}'s user. */
    private static void serveAuthenticated(JwtAuthFilter filter, String subject, Runnable inside) throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getServletPath()).thenReturn("/api");
        when(request.getHeaders("Authorization")).thenReturn(Collections.enumeration(
                List.of("Bearer " + TestTokens.hs256(subject, "user"))));
        boolean[] ran = {false};
        filter.doFilter(request, mock(HttpServletResponse.class), (req, res) -> {
            inside.run();
            ran[0] = true;
        });
        assertTrue(ran[0], "the filter let the request through");
    }

    @Test
    void whenPrincipalBoundThenInjectedPrincipalIsIt() throws Exception {
        JwtAuthFilter filter = startedFilter();
        try (WeldContainer weld = boot()) {
            serveAuthenticated(filter, "alice", () -> {
                JwtPrincipal alice = JwtAuthFilter.currentPrincipal().orElseThrow();
                assertEquals("alice", alice.getName());
                assertSame(alice, weld.select(Greeter.class).get().principal);
                assertSame(alice, weld.select(JwtPrincipal.class).get());
            });
        } finally {
            filter.destroy();
        }
    }

    @Test
    void whenLongLivedBeanInjectsPrincipalThenContainerRefusesToStartNamingIt() {
        for (Class<?> bean : List.of(AccountService.class, AuditService.class)) {
            Weld weld = new Weld().disableDiscovery().addBeanClass(bean).addExtension(new JwtGateExtension());
            RuntimeException e = assertThrows(RuntimeException.class, () -> weld.initialize().close(), bean.getName());
            assertTrue(e.getMessage().contains(bean.getName()) && e.getMessage().contains("Provider<JwtPrincipal>"),
                    e.getMessage());
        }
    }

    @Test
    void whenLongLivedProducerTakesPrincipalThenContainerRefusesToStartNamingIt() {
        Weld weld = new Weld().disableDiscovery().addBeanClass(SingletonCallerNames.class)
                .addExtension(new JwtGateExtension());
        RuntimeException e = assertThrows(RuntimeException.class, () -> weld.initialize().close());
        assertTrue(e.getMessage().contains(SingletonCallerNames.class.getName()) && e.getMessage().contains("@Singleton")
                && e.getMessage().contains("Provider<JwtPrincipal>"), e.getMessage());
    }

    @Test
    void whenLongLivedBeanKeepsDependentBeanThatInjectsPrincipalThenContainerRefusesToStartNamingBoth() {
        for (Class<?> bean : List.of(GreetingService.class, Reception.class)) {
            Weld weld = new Weld().disableDiscovery().addBeanClasses(bean, Desk.class, Greeter.class)
                    .addExtension(new JwtGateExtension());
            RuntimeException e = assertThrows(RuntimeException.class, () -> weld.initialize().close(), bean.getName());
            assertTrue(e.getMessage().contains(bean.getName()) && e.getMessage().contains(Greeter.class.getName())
                    && e.getMessage().contains("Provider<JwtPrincipal>"), e.getMessage());
        }
    }

    @Test
    void whenAnInterceptorOrADecoratorKeepsThePrincipalThenContainerRefusesToStartNamingIt() {
        // Before: an interceptor or a decorator is @Dependent, so it passed; wrapping an @ApplicationScoped bean it
        // lives as long, and showed the first caller's principal to every later one (alice's for bob).
        List<List<Class<?>>> cases = List.of(
                List.of(CallerAuditInterceptor.class, AuditedGreeting.class),
                List.of(GreeterAuditInterceptor.class, AuditedGreeting.class, Greeter.class),
                List.of(CallerNamingGreeting.class, AuditedGreeting.class),
                List.of(TypedServlet.class), List.of(UntypedServlet.class), List.of(UntypedServletKeepingGreeter.class, Greeter.class));
        for (List<Class<?>> classes : cases) {
            Weld weld = new Weld().disableDiscovery().addBeanClasses(classes.toArray(Class<?>[]::new))
                    .addExtension(new JwtGateExtension());
            for (Class<?> c : classes) {
                if (c.isAnnotationPresent(jakarta.interceptor.Interceptor.class)) {
                    weld.addInterceptor(c);
                } else if (c.isAnnotationPresent(jakarta.decorator.Decorator.class)) {
                    weld.addDecorator(c);
                }
            }
            RuntimeException e = assertThrows(RuntimeException.class, () -> weld.initialize().close(), classes.toString());
            assertTrue(e.getMessage().contains(classes.get(0).getName()) && e.getMessage().contains("Provider<JwtPrincipal>"),
                    e.getMessage());
            if (classes.get(0).getSimpleName().contains("Interceptor") || classes.get(0).getSimpleName().contains("Naming")) {
                assertTrue(e.getMessage().contains("lives as long as the bean it wraps"), e.getMessage());
            }
        }
    }

    @Test
    void whenAServletDeclaresADependentProducerTakingThePrincipalThenTheContainerStarts() {
        try (WeldContainer weld = new Weld().disableDiscovery().addBeanClass(ProducingServlet.class)
                .addExtension(new JwtGateExtension()).initialize()) {
            assertEquals("anonymous", weld.select(ServletCallerName.class).get().name(), "no request: no principal");
        }
    }

    @Test
    void whenDependentServletInjectsPrincipalThenContainerRefusesToStartNamingIt() {
        Weld weld = new Weld().disableDiscovery().addBeanClass(GreetingServlet.class).addExtension(new JwtGateExtension());
        RuntimeException e = assertThrows(RuntimeException.class, () -> weld.initialize().close());
        assertTrue(e.getMessage().contains(GreetingServlet.class.getName()) && e.getMessage().contains("Provider<JwtPrincipal>"),
                e.getMessage());
    }

    @Test
    void whenServletThatIsNoBeanInjectsPrincipalThenContainerRefusesToStartNamingIt() {
        Weld weld = new Weld().disableDiscovery().addBeanClass(Greeter.class).addExtension(new JwtGateExtension())
                .addExtension(new NonContextualInjection(PlainServlet.class));
        RuntimeException e = assertThrows(RuntimeException.class, () -> weld.initialize().close());
        assertTrue(e.getMessage().contains(PlainServlet.class.getName()) && e.getMessage().contains("Provider<JwtPrincipal>"),
                e.getMessage());
        try (WeldContainer started = new Weld().disableDiscovery().addBeanClass(Greeter.class)
                .addExtension(new JwtGateExtension()).addExtension(new NonContextualInjection(PlainProviderServlet.class))
                .initialize()) {
            assertTrue(started.isRunning());
        }
    }

    @Test
    void whenAServletListenerInjectsPrincipalThenContainerRefusesToStartNamingIt() {
        Weld bean = new Weld().disableDiscovery().addBeanClass(SessionAuditListener.class)
                .addExtension(new JwtGateExtension());
        RuntimeException e = assertThrows(RuntimeException.class, () -> bean.initialize().close());
        assertTrue(e.getMessage().contains(SessionAuditListener.class.getName())
                && e.getMessage().contains("Provider<JwtPrincipal>"), e.getMessage());
        Weld noBean = new Weld().disableDiscovery().addBeanClass(Greeter.class).addExtension(new JwtGateExtension())
                .addExtension(new NonContextualInjection(PlainRequestAttributeListener.class));
        e = assertThrows(RuntimeException.class, () -> noBean.initialize().close());
        assertTrue(e.getMessage().contains(PlainRequestAttributeListener.class.getName())
                && e.getMessage().contains("Provider<JwtPrincipal>"), e.getMessage());
    }

    @Test
    void whenLongLivedBeanReadsPrincipalPerUseThenContainerStarts() {
        try (WeldContainer weld = new Weld().disableDiscovery().addBeanClass(ProfileService.class)
                .addBeanClass(RequestAudit.class).addBeanClass(Greeter.class).addBeanClass(PerUseCallerNames.class)
                .addBeanClasses(GreeterPerUse.class, ProfileReader.class, RequestGreeting.class, CdiInjectionIT.WhoAmIServlet.class)
                .addExtension(new JwtGateExtension()).initialize()) {
            assertNull(weld.select(ProfileService.class).get().current());
            assertEquals("anonymous", weld.select(CallerName.class).get().name());
        }
    }

    @Test
    void whenNoPrincipalBoundThenInjectedPrincipalIsNull() {
        try (WeldContainer weld = boot()) {
            assertNull(weld.select(Greeter.class).get().principal);
        }
    }

    @Test
    void whenServicePublishedThenInjectedAndWithdrawnThenRefusedWithAdvice() throws Exception {
        try (WeldContainer weld = boot()) {
            JwtAuthFilter filter = startedFilter();
            RevocationService service = filter.revocationService();
            assertSame(service, weld.select(Greeter.class).get().revocation.get());

            filter.destroy();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> weld.select(Greeter.class).get().revocation.get());
            assertTrue(e.getMessage().contains("No JwtAuthFilter runs in this CDI container"), e.getMessage());
        }
    }

    @Test
    void whenTwoServicesPublishedThenFirstWinsUntilWithdrawn() throws Exception {
        try (WeldContainer weld = boot()) {
            JwtAuthFilter firstFilter = startedFilter();
            JwtAuthFilter secondFilter = startedFilter();
            RevocationService first = firstFilter.revocationService();
            assertSame(first, weld.select(RevocationService.class).get());
            secondFilter.destroy(); // not the published one: no effect
            assertSame(first, weld.select(RevocationService.class).get());
            firstFilter.destroy();
        }
    }

    /** sample.md: a service injected itself is the filter's that ran then; a Provider's get() is the running one's. */
    @Test
    void whenTheFilterStartsAgainThenAServiceKeptSinceIsClosedAndALookupFindsTheNewOne() throws Exception {
        try (WeldContainer weld = boot()) {
            JwtAuthFilter first = startedFilter();
            RevocationService kept = weld.select(RevocationService.class).get();
            first.destroy();
            JwtAuthFilter second = startedFilter();
            try {
                RevocationUnavailableException e = assertThrows(RevocationUnavailableException.class,
                        () -> kept.revokeUser("alice"));
                assertTrue(e.getMessage().contains("JwtGate was closed"), e.getMessage());
                assertSame(second.revocationService(), weld.select(Greeter.class).get().revocation.get());
            } finally {
                second.destroy();
            }
        }
    }

    @Test
    void whenNoContainerRunsThenPublishIsHarmless() throws Exception {
        JwtAuthFilter filter = startedFilter(); // no CDI container: nothing to tell
        filter.destroy();
        assertTrue(JwtAuthFilter.firstStarted().isEmpty());
    }
}
