package org.jwtgate.internal.authentication.registration;

import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.auth.message.config.AuthConfigFactory.RegistrationContext;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.ServletContext;
import org.jwtgate.config.ConfigurationException;

/**
 * Registers a module for one application with the container's {@link AuthConfigFactory}, the Jakarta
 * Authentication 3.0 way: {@code registerServerAuthModule(module, servletContext)} (Tomcat 10.1+). Jetty
 * 12's factory does not implement that method (it throws {@link UnsupportedOperationException}), so
 * there the module is registered as a provider ({@link SingleModuleConfigProvider}) under the
 * application context ID Jetty's {@code JaspiAuthenticatorFactory} looks up: the first virtual host (else
 * {@code server}), a space, and the context path ({@code /} for the root).
 */
final class ModuleRegistration {

    /** The message layer of the Servlet Container Profile. */
    static final String LAYER = "HttpServlet";

    private ModuleRegistration() {
    }

    /**
     * @return the registration ID, for {@link #unregister}
     * @throws ConfigurationException when the container has no Jakarta Authentication factory
     */
    static String register(ServerAuthModule module, ServletContext context) {
        AuthConfigFactory factory = factory();
        try {
            return factory.registerServerAuthModule(module, context);
        } catch (UnsupportedOperationException e) {
            return factory.registerConfigProvider(new SingleModuleConfigProvider(module), LAYER,
                    jettyAppContext(context), "JwtGate bearer-token authentication");
        }
    }

    /** The application context ID Jetty 12 looks providers up by. */
    static String jettyAppContext(ServletContext context) {
        String host = context.getVirtualServerName();
        String path = context.getContextPath();
        return (host == null || host.isEmpty() ? "server" : host) + " " + (path == null || path.isEmpty() ? "/" : path);
    }

    /** Removes a registration this class made; never one the container loaded from its configuration. */
    static void unregister(String registrationId) {
        AuthConfigFactory factory = AuthConfigFactory.getFactory();
        if (factory == null || registrationId == null) {
            return;
        }
        RegistrationContext registration = factory.getRegistrationContext(registrationId);
        if (registration != null && !registration.isPersistent()) {
            factory.removeRegistration(registrationId);
        }
    }

    private static AuthConfigFactory factory() {
        AuthConfigFactory factory;
        try {
            factory = AuthConfigFactory.getFactory();
        } catch (RuntimeException e) {
            throw new ConfigurationException("The container's Jakarta Authentication factory failed: " + e, e);
        }
        if (factory == null) {
            throw new ConfigurationException("The container has no Jakarta Authentication factory"
                    + " (AuthConfigFactory.getFactory() is null): on Jetty 12 enable the ee10-jaspi module");
        }
        return factory;
    }
}
