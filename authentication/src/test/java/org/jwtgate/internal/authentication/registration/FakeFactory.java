package org.jwtgate.internal.authentication.registration;

import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.auth.message.config.AuthConfigProvider;
import jakarta.security.auth.message.config.ClientAuthConfig;
import jakarta.security.auth.message.config.RegistrationListener;
import jakarta.security.auth.message.config.ServerAuthConfig;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.callback.CallbackHandler;

/**
 * A container's {@link AuthConfigFactory}, reduced to what registration uses, recording what was done:
 * either Tomcat's (with {@code registerServerAuthModule}) or Jetty 12's (without it). Listeners are
 * kept and told as both factories do (Tomcat's AuthConfigFactoryImpl): {@code getConfigProvider} keeps
 * the listener only when it finds a registration, which tells its listeners when it is replaced or
 * removed; a registration made where there was none tells nobody.
 */
final class FakeFactory extends AuthConfigFactory {

    record Registration(String layer, String appContext, AuthConfigProvider provider, ServerAuthModule module,
                        boolean persistent, List<RegistrationListener> listeners) implements RegistrationContext {

        Registration(String layer, String appContext, AuthConfigProvider provider, ServerAuthModule module, boolean persistent) {
            this(layer, appContext, provider, module, persistent, new CopyOnWriteArrayList<>());
        }

        @Override
        public String getMessageLayer() {
            return layer;
        }

        @Override
        public String getAppContext() {
            return appContext;
        }

        @Override
        public String getDescription() {
            return "fake";
        }

        @Override
        public boolean isPersistent() {
            return persistent;
        }
    }

    /** The provider Tomcat's {@code registerServerAuthModule} makes around the module (its SingleConfigAuthConfigProvider). */
    record ModuleProvider(ServerAuthModule module) implements AuthConfigProvider {

        @Override
        public ClientAuthConfig getClientAuthConfig(String layer, String appContext, CallbackHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerAuthConfig getServerAuthConfig(String layer, String appContext, CallbackHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void refresh() {
        }
    }

    final Map<String, Registration> registrations = new LinkedHashMap<>();
    final List<String> removed = new ArrayList<>();
    private final boolean supportsModules;

    /** @param supportsModules Tomcat's factory ({@code true}) or Jetty 12's ({@code false}) */
    FakeFactory(boolean supportsModules) {
        this.supportsModules = supportsModules;
    }

    /** Installs this factory as the JVM's; {@link #uninstall()} afterwards. */
    FakeFactory install() {
        AuthConfigFactory.setFactory(this);
        return this;
    }

    static void uninstall() {
        AuthConfigFactory.setFactory(null);
    }

    /** A registration the container loaded from its own configuration file. */
    void addPersistent(String id) {
        registrations.put(id, new Registration("HttpServlet", "Catalina/localhost /x", null, null, true));
    }

    /** Each factory's ID: Tomcat's {@code layer:appContext}, Jetty's {@code layer/appContext}. */
    private String id(String layer, String appContext) {
        return layer + (supportsModules ? ":" : "/") + appContext;
    }

    private String put(Registration registration) {
        String id = id(registration.layer(), registration.appContext());
        Registration previous = registrations.put(id, registration);
        if (previous != null) {
            tell(previous); // AuthConfigFactoryImpl: "Replaced an existing registration so need to notify those listeners"
        }
        return id;
    }

    private static void tell(Registration registration) {
        for (RegistrationListener listener : registration.listeners()) {
            registration.listeners().remove(listener);
            listener.notify(registration.layer(), registration.appContext());
        }
    }

    @Override
    public String registerServerAuthModule(ServerAuthModule module, Object context) {
        if (!supportsModules) {
            throw new UnsupportedOperationException();
        }
        ServletContext servletContext = (ServletContext) context;
        String appContext = servletContext.getVirtualServerName() + " " + servletContext.getContextPath();
        return put(new Registration("HttpServlet", appContext, new ModuleProvider(module), module, false));
    }

    @Override
    public String registerConfigProvider(AuthConfigProvider provider, String layer, String appContext, String description) {
        ServerAuthModule module = provider instanceof ModuleProvider own ? own.module() : null;
        String id = put(new Registration(layer, appContext, provider, module, false));
        Runnable hook = afterRegistration;
        if (hook != null) {
            hook.run(); // what a request does the moment the factory holds the registration, before it is returned
        }
        return id;
    }

    /** Run by {@link #registerConfigProvider(AuthConfigProvider, String, String, String)} once it holds the provider. */
    volatile Runnable afterRegistration;

    @Override
    public RegistrationContext getRegistrationContext(String registrationID) {
        return registrations.get(registrationID);
    }

    @Override
    public boolean removeRegistration(String registrationID) {
        removed.add(registrationID);
        Registration registration = registrations.remove(registrationID);
        if (registration == null) {
            return false;
        }
        tell(registration);
        return true;
    }

    @Override
    public AuthConfigProvider getConfigProvider(String layer, String appContext, RegistrationListener listener) {
        Registration registration = registrations.get(id(layer, appContext));
        if (registration == null) {
            return null; // and the listener is kept nowhere
        }
        if (listener != null) {
            registration.listeners().add(listener);
        }
        return registration.provider();
    }

    @Override
    public String[] getRegistrationIDs(AuthConfigProvider provider) {
        return registrations.entrySet().stream()
                .filter(entry -> provider == null || entry.getValue().provider() == provider)
                .map(Map.Entry::getKey)
                .toArray(String[]::new);
    }

    @Override
    public String registerConfigProvider(String className, Map<String, String> properties, String layer,
                                         String appContext, String description) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeServerAuthModule(Object context) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String[] detachListener(RegistrationListener listener, String layer, String appContext) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void refresh() {
    }
}
