package org.jwtgate.internal.authentication.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.config.ServerAuthConfig;
import jakarta.security.auth.message.config.ServerAuthContext;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.ServletContext;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigurationException;

class ModuleRegistrationTest {

    @AfterEach
    void uninstall() {
        FakeFactory.uninstall();
    }

    private static ServletContext context(String host, String path) {
        ServletContext context = mock(ServletContext.class);
        when(context.getVirtualServerName()).thenReturn(host);
        when(context.getContextPath()).thenReturn(path);
        return context;
    }

    @Test
    void whenFactoryHasRegisterServerAuthModuleThenModuleRegisteredThatWay() {
        FakeFactory factory = new FakeFactory(true).install();
        ServerAuthModule module = mock(ServerAuthModule.class);
        String id = ModuleRegistration.register(module, context("Catalina/localhost", "/secured")).id();
        assertEquals("HttpServlet:Catalina/localhost /secured", id);
        assertSame(module, factory.registrations.get(id).module());
    }

    @Test
    void whenFactoryLacksItAsJettysDoesThenAProviderUnderJettysAppContext() throws Exception {
        FakeFactory factory = new FakeFactory(false).install();
        ServerAuthModule module = mock(ServerAuthModule.class);
        String id = ModuleRegistration.register(module, context(null, "/secured")).id();
        FakeFactory.Registration registration = factory.registrations.get(id);
        assertEquals("HttpServlet", registration.layer());
        assertEquals("server /secured", registration.appContext());

        // The provider hands the container the module, initialized with the container's handler.
        CallbackHandler handler = callbacks -> { };
        ServerAuthConfig config = registration.provider().getServerAuthConfig("HttpServlet", "server /secured", handler);
        ServerAuthContext authContext = config.getAuthContext(config.getAuthContextID(mock(MessageInfo.class)), null, null);
        verify(module).initialize(null, null, handler, Map.of());
        MessageInfo message = mock(MessageInfo.class);
        Subject subject = new Subject();
        authContext.validateRequest(message, subject, null);
        verify(module).validateRequest(message, subject, null);
        authContext.secureResponse(message, null);
        verify(module).secureResponse(message, null);
        authContext.cleanSubject(message, subject);
        verify(module).cleanSubject(message, subject);
        assertEquals("server /secured", config.getAppContext());
        assertEquals("HttpServlet", config.getMessageLayer());
        assertFalse(config.isProtected());
        assertEquals(null, registration.provider().getClientAuthConfig("HttpServlet", "server /secured", handler));
    }

    @Test
    void whenJettyAppContextComputedThenVirtualHostOrServerAndSlashForTheRoot() {
        assertEquals("server /", ModuleRegistration.jettyAppContext(context(null, "")));
        assertEquals("server /app", ModuleRegistration.jettyAppContext(context("", "/app")));
        assertEquals("www.example.com /app", ModuleRegistration.jettyAppContext(context("www.example.com", "/app")));
    }

    @Test
    void whenNoFactoryThenConfigurationErrorSaysWhatToEnable() {
        FakeFactory.uninstall(); // and no authconfigprovider.factory security property: getFactory() is null
        String message = assertThrows(ConfigurationException.class,
                () -> ModuleRegistration.register(mock(ServerAuthModule.class), context(null, "/x"))).getMessage();
        assertEquals("The container has no Jakarta Authentication factory (AuthConfigFactory.getFactory() is null):"
                + " on Jetty 12 enable the ee10-jaspi module", message);
    }

    @Test
    void whenWithdrawnBeforeServingThenRemovedButNeverAnotherApplicationsRegistration() {
        FakeFactory factory = new FakeFactory(true).install();
        ModuleRegistration registration = ModuleRegistration.register(mock(ServerAuthModule.class), context("Catalina/localhost", "/secured"));
        factory.addPersistent("HttpServlet:Catalina/localhost /x");
        registration.withdraw();
        registration.withdraw();
        assertEquals(List.of(registration.id()), factory.removed);
        assertNotNull(factory.registrations.get("HttpServlet:Catalina/localhost /x"));

        ModuleRegistration replaced = ModuleRegistration.register(mock(ServerAuthModule.class), context("Catalina/localhost", "/secured"));
        ServerAuthModule newer = mock(ServerAuthModule.class);
        ModuleRegistration.register(newer, context("Catalina/localhost", "/secured")).served();
        replaced.withdraw();
        replaced.removeLeftOver();
        assertSame(newer, factory.registrations.get(replaced.id()).module(), "the newer registration under the same ID stays");
    }

    @Test
    void whenTheContainerLoadedARegistrationForTheApplicationThenRefusedAndItStaysUntouched() {
        FakeFactory factory = new FakeFactory(true).install();
        FakeFactory.ModuleProvider configured = new FakeFactory.ModuleProvider(null);
        FakeFactory.Registration administrators =
                new FakeFactory.Registration("HttpServlet", "Catalina/localhost /secured", configured, null, true);
        factory.registrations.put("HttpServlet:Catalina/localhost /secured", administrators);
        ServerAuthModule module = mock(ServerAuthModule.class);
        String message = assertThrows(ConfigurationException.class,
                () -> ModuleRegistration.register(module, context("Catalina/localhost", "/secured"))).getMessage();
        assertEquals("jwtgate.authentication: the container already registers an authentication provider for this"
                + " application (application context [Catalina/localhost /secured], provider ["
                + FakeFactory.ModuleProvider.class.getName() + "]); register the JwtGate module either by the context-param"
                + " jwtgate.authentication or by the container's configuration, not both", message);
        assertEquals(Map.of("HttpServlet:Catalina/localhost /secured", administrators), factory.registrations,
                "the administrator's registration, and nothing else");
        assertEquals(List.of(), factory.removed);
    }

    @Test
    void whenJettyHoldsAnotherProviderForTheApplicationThenRefusedAndItStaysUntouched() {
        FakeFactory factory = new FakeFactory(false).install();
        FakeFactory.ModuleProvider jettys = new FakeFactory.ModuleProvider(null); // as Jetty's JaspiAuthConfigProvider, from its XML
        String id = factory.registerConfigProvider(jettys, "HttpServlet", "server /secured", "the administrator's");
        FakeFactory.Registration administrators = factory.registrations.get(id);
        String message = assertThrows(ConfigurationException.class,
                () -> ModuleRegistration.register(mock(ServerAuthModule.class), context(null, "/secured"))).getMessage();
        assertEquals("jwtgate.authentication: the container already registers an authentication provider for this"
                + " application (application context [server /secured], provider ["
                + FakeFactory.ModuleProvider.class.getName() + "]); register the JwtGate module either by the context-param"
                + " jwtgate.authentication or by the container's configuration, not both", message);
        assertEquals(Map.of(id, administrators), factory.registrations);
        assertEquals(List.of(), factory.removed);
    }

    @Test
    void whenTheApplicationsEarlierStartRegisteredThenReplacedAsOnAReload() {
        for (boolean tomcat : new boolean[] {true, false}) {
            FakeFactory factory = new FakeFactory(tomcat).install();
            ServletContext context = context(tomcat ? "Catalina/localhost" : null, "/secured");
            ModuleRegistration.register(mock(ServerAuthModule.class), context).served();
            ServerAuthModule reloaded = mock(ServerAuthModule.class);
            ModuleRegistration registration = ModuleRegistration.register(reloaded, context);
            assertEquals(1, factory.registrations.size(), tomcat ? "Tomcat" : "Jetty");
            assertNotNull(factory.registrations.get(registration.id()));
            FakeFactory.uninstall();
        }
    }
}
