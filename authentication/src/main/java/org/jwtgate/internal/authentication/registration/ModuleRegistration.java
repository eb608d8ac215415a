package org.jwtgate.internal.authentication.registration;

import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.auth.message.config.AuthConfigFactory.RegistrationContext;
import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.config.AuthConfigProvider;
import jakarta.security.auth.message.config.ServerAuthConfig;
import jakarta.security.auth.message.config.ServerAuthContext;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.ServletContext;
import java.util.Arrays;
import java.util.Map;
import javax.security.auth.callback.CallbackHandler;
import org.jwtgate.authentication.JwtServerAuthModule;
import org.jwtgate.config.ConfigurationException;

/**
 * One application's registration of its module with the container's {@link AuthConfigFactory}, and its
 * undoing. Registered the Jakarta Authentication 3.0 way: {@code registerServerAuthModule(module,
 * servletContext)} (Tomcat 10.1+). Jetty 12's factory does not implement that method (it throws
 * {@link UnsupportedOperationException}), so there the module is registered as a provider
 * ({@link SingleModuleConfigProvider}) under the application context ID Jetty's
 * {@code JaspiAuthenticatorFactory} looks up: the first virtual host (else {@code server}), a space, and
 * the context path ({@code /} for the root).
 *
 * <p>The factory keys registrations by that application context ID, which the application shares with
 * its own next start (a reload) and with the other versions of a Tomcat parallel deployment
 * ({@code app##1}, {@code app##2}): each registration replaces the one before. So this one is undone
 * only while the factory still holds it ({@link #withdraw()}), never another application's.
 */
final class ModuleRegistration {

    /** The message layer of the Servlet Container Profile. */
    static final String LAYER = "HttpServlet";
    private static final String DESCRIPTION = "JwtGate bearer-token authentication";

    private final AuthConfigFactory factory;
    private final String id;
    private final String appContext;
    /** What the factory holds under {@link #id} while the registration is this application's. */
    private final AuthConfigProvider provider;
    /** Tomcat's authenticator, once told of a removal, keeps "no provider": see {@link #withdraw()}. */
    private final boolean keptWhenStopped;
    /** Registering replaced a registration: the factory told that one's authenticators of this one. */
    private final boolean replacedOne;
    /** Jetty's: the replaced registration may be serving its own application still, see {@link #replacedContext}. */
    private final boolean handsBackReplacedRequests;
    private volatile Replaced replaced;
    private volatile boolean served;

    private ModuleRegistration(AuthConfigFactory factory, String id, String appContext, AuthConfigProvider provider,
                               boolean keptWhenStopped, Replaced replaced) {
        this.factory = factory;
        this.id = id;
        this.appContext = appContext;
        this.provider = provider;
        this.keptWhenStopped = keptWhenStopped;
        this.replacedOne = replaced != null;
        this.handsBackReplacedRequests = !keptWhenStopped && replaced != null && replaced.isJwtGates();
        this.replaced = replaced;
    }

    /**
     * Registers the module for the application, unless the container already registers a provider for it
     * (the administrator's: Tomcat's jaspic-providers.xml, Jetty's XML): then nothing is registered.
     *
     * @throws ConfigurationException when the container has no Jakarta Authentication factory, or when the
     *                                registration this one would replace is not one an earlier start of this
     *                                application made (a reload's or an older version's): on Tomcat a persistent
     *                                one, on Jetty one that is not JwtGate's
     */
    static ModuleRegistration register(ServerAuthModule module, ServletContext context) {
        AuthConfigFactory factory = factory();
        // The profile's application context ID, as Tomcat's factory computes it (AuthConfigFactoryImpl).
        String appContext = context.getVirtualServerName() + " " + context.getContextPath();
        Replaced replaced = Replaced.find(factory, appContext);
        // Code registers nothing persistent (registerServerAuthModule, registerConfigProvider with an instance): a
        // persistent registration is the container's, loaded from its configuration (Tomcat's jaspic-providers.xml).
        if (replaced != null && replaced.persistent()) {
            throw registeredByTheContainer(appContext, replaced);
        }
        String id;
        try {
            id = factory.registerServerAuthModule(module, context);
        } catch (UnsupportedOperationException e) {
            String jettyAppContext = jettyAppContext(context);
            Replaced jettyReplaced = Replaced.find(factory, jettyAppContext);
            // Jetty's: only a start of a JwtGate application registers JwtGate's provider; another is the container's
            // (its XML, Jetty's JaspiAuthConfigProvider) or another application's, never this one's to replace.
            if (jettyReplaced != null && !jettyReplaced.isJwtGates()) {
                throw registeredByTheContainer(jettyAppContext, jettyReplaced);
            }
            AuthConfigProvider provider = new SingleModuleConfigProvider(module);
            id = factory.registerConfigProvider(provider, LAYER, jettyAppContext, DESCRIPTION);
            return new ModuleRegistration(factory, id, jettyAppContext, provider, false, jettyReplaced);
        }
        // The factory made the provider around the module: what it now holds for the application context.
        RegistrationContext registered = factory.getRegistrationContext(id);
        String registeredAppContext = registered != null ? registered.getAppContext() : appContext;
        return new ModuleRegistration(factory, id, registeredAppContext,
                factory.getConfigProvider(LAYER, registeredAppContext, null), true, replaced);
    }

    /** Names the application context and the provider's class, never a setting's value. */
    private static ConfigurationException registeredByTheContainer(String appContext, Replaced replaced) {
        return new ConfigurationException(JwtServerAuthModule.ENABLE_PARAM + ": the container already registers an"
                + " authentication provider for this application (application context [" + appContext + "], provider ["
                + replaced.provider().getClass().getName() + "]); register the JwtGate module either by the context-param "
                + JwtServerAuthModule.ENABLE_PARAM + " or by the container's configuration, not both");
    }

    /** The application context ID Jetty 12 looks providers up by. */
    static String jettyAppContext(ServletContext context) {
        String host = context.getVirtualServerName();
        String path = context.getContextPath();
        return (host == null || host.isEmpty() ? "server" : host) + " " + (path == null || path.isEmpty() ? "/" : path);
    }

    String id() {
        return id;
    }

    /**
     * The application served a request: its deployment is complete, and the registration this one replaced
     * is let go (no longer given back, no longer kept from the garbage collector).
     */
    void served() {
        if (!served) {
            served = true;
            replaced = null;
        }
    }

    /**
     * For a request of the application whose registration this one replaced, on Jetty: its deployer starts a
     * redeployed context before it stops the old one ({@code jetty.deploy.atomicRedeploy}, on by default), whose
     * authenticator, told of this registration, asks this one from then on. Its requests go back to the module that
     * served them (before: an error, 500, until this application started; then this application's module, with its
     * settings and classes, while the container's handler of each context took turns in one module). The replaced
     * registration's context, initialized with that request's container handler as Jetty's own provider does; null
     * when there is none to hand back to: this application has served (the old one is stopping), replaced none or
     * another provider than JwtGate's, or the factory is Tomcat's (whose versions share the module, see operations.md).
     *
     * @throws AuthException as the replaced module's {@code initialize} does
     */
    ServerAuthContext replacedContext(CallbackHandler handler, Map<String, Object> options) throws AuthException {
        Replaced previous = replaced;
        if (!handsBackReplacedRequests || previous == null) {
            return null;
        }
        ServerAuthConfig config = previous.provider().getServerAuthConfig(LAYER, appContext, handler);
        // Any ID: JwtGate's provider has one context for every message.
        return config == null ? null : config.getAuthContext(LAYER, null, options);
    }

    /**
     * Undoes the registration when the application stops, if the factory still holds it: after a later
     * registration under the same ID (a newer version of a parallel deployment) there is nothing of this
     * application's to undo. Before the application served a request (its deployment failed), the
     * registration this one replaced is given back — an older version's, or the one the reload replaced —
     * unless the container loaded it from its configuration (registered by code it would lose its
     * persistence); else this one is removed.
     *
     * <p>On Tomcat, a registration an authenticator may hold stays: one that served, or replaced another. Its
     * stand-in then answers as stopped. Tomcat's authenticator valve survives a reload and looks the provider
     * up again only when the factory notifies it (AuthenticatorBase.notify), which the factory does when a
     * registration is replaced or removed, not when one is made where there was none
     * (AuthConfigFactoryImpl.addRegistrationContextImpl). Told of a removal, the valve would keep "no
     * provider" and answer with the application's login-config after the reload; told of the reload's
     * registration replacing this one, it takes the new module. Jetty's authenticator looks again on its next
     * request (JaspiAuthenticator.getAuthConfig), so there the registration is removed.
     */
    void withdraw() {
        Replaced previous = replaced;
        boolean own = isOwn(); // else a later registration took over: nothing to give back or remove
        boolean givenBack = own && previous != null && !previous.persistent();
        if (givenBack) {
            factory.registerConfigProvider(previous.provider(), LAYER, appContext, previous.description());
        } else if (own && !(keptWhenStopped && (served || replacedOne))) {
            factory.removeRegistration(id);
        }
        // Kept only once given back on Jetty: the factory no longer holds this stand-in, and an old request that found
        // it before Jetty's authenticator was told is still handed to its own module. Else let go for the collector.
        if (!(givenBack && handsBackReplacedRequests)) {
            replaced = null;
        }
    }

    /**
     * Removes a registration {@link #withdraw()} left in place, if the factory still holds it: a request
     * reaching the stopped module shows that no start of the application took it over (it was undeployed,
     * or started again without the module), so the container's authenticator is told to look again.
     */
    void removeLeftOver() {
        if (isOwn()) {
            factory.removeRegistration(id);
        }
    }

    private boolean isOwn() {
        return provider != null && Arrays.asList(factory.getRegistrationIDs(provider)).contains(id);
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

    /**
     * The registration under exactly this layer and application context, which registering there replaces;
     * a less specific one stays, and is not this.
     */
    private record Replaced(AuthConfigProvider provider, String description, boolean persistent) {

        /** JwtGate's provider, of this or another application's class loader: whose contexts it is known to make. */
        boolean isJwtGates() {
            return provider.getClass().getName().equals(SingleModuleConfigProvider.class.getName());
        }

        static Replaced find(AuthConfigFactory factory, String appContext) {
            AuthConfigProvider current = factory.getConfigProvider(LAYER, appContext, null);
            if (current == null) {
                return null;
            }
            for (String id : factory.getRegistrationIDs(current)) {
                RegistrationContext registration = factory.getRegistrationContext(id);
                if (registration != null && LAYER.equals(registration.getMessageLayer())
                        && appContext.equals(registration.getAppContext())) {
                    return new Replaced(current, registration.getDescription(), registration.isPersistent());
                }
            }
            return null;
        }
    }
}
