package org.jwtgate.internal.authentication.registration;

import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.auth.message.config.AuthConfigProvider;
import jakarta.security.auth.message.config.RegistrationListener;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's {@link AuthConfigFactory}, reduced to what registration uses, recording what was done:
 * either Tomcat's (with {@code registerServerAuthModule}) or Jetty 12's (without it).
 */
final class FakeFactory extends AuthConfigFactory {

    record Registration(String layer, String appContext, AuthConfigProvider provider, ServerAuthModule module,
                        boolean persistent) implements RegistrationContext {

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

    @Override
    public String registerServerAuthModule(ServerAuthModule module, Object context) {
        if (!supportsModules) {
            throw new UnsupportedOperationException();
        }
        ServletContext servletContext = (ServletContext) context;
        String appContext = servletContext.getVirtualServerName() + " " + servletContext.getContextPath();
        String id = "HttpServlet:" + appContext;
        registrations.put(id, new Registration("HttpServlet", appContext, null, module, false));
        return id;
    }

    @Override
    public String registerConfigProvider(AuthConfigProvider provider, String layer, String appContext, String description) {
        String id = layer + "/" + appContext;
        registrations.put(id, new Registration(layer, appContext, provider, null, false));
        return id;
    }

    @Override
    public RegistrationContext getRegistrationContext(String registrationID) {
        return registrations.get(registrationID);
    }

    @Override
    public boolean removeRegistration(String registrationID) {
        removed.add(registrationID);
        return registrations.remove(registrationID) != null;
    }

    @Override
    public AuthConfigProvider getConfigProvider(String layer, String appContext, RegistrationListener listener) {
        throw new UnsupportedOperationException();
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
    public String[] getRegistrationIDs(AuthConfigProvider provider) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void refresh() {
    }
}
