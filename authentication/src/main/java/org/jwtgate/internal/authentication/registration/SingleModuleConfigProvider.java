package org.jwtgate.internal.authentication.registration;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.config.AuthConfigProvider;
import jakarta.security.auth.message.config.ClientAuthConfig;
import jakarta.security.auth.message.config.ServerAuthConfig;
import jakarta.security.auth.message.config.ServerAuthContext;
import jakarta.security.auth.message.module.ServerAuthModule;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import org.jwtgate.internal.authentication.RequestCallbackHandler;

/**
 * The provider a factory without {@code registerServerAuthModule} gets (Jetty 12): one server
 * configuration per callback handler, whose authentication context is the one module. The module is
 * initialized with the container's handler every time the container asks for the context (Jetty does so
 * for every request; a started module only keeps the handler), and each request carries its configuration's
 * handler to the module ({@link RequestCallbackHandler}), whatever another context's request initialized since.
 */
final class SingleModuleConfigProvider implements AuthConfigProvider {

    private final ServerAuthModule module;

    SingleModuleConfigProvider(ServerAuthModule module) {
        this.module = module;
    }

    @Override
    public ClientAuthConfig getClientAuthConfig(String layer, String appContext, CallbackHandler handler) {
        return null; // a server module only
    }

    @Override
    public ServerAuthConfig getServerAuthConfig(String layer, String appContext, CallbackHandler handler) {
        return new Config(layer, appContext, handler);
    }

    @Override
    public void refresh() {
        // nothing is read from anywhere
    }

    private final class Config implements ServerAuthConfig, ServerAuthContext {

        private final String layer;
        private final String appContext;
        private final CallbackHandler handler;

        Config(String layer, String appContext, CallbackHandler handler) {
            this.layer = layer;
            this.appContext = appContext;
            this.handler = handler;
        }

        @Override
        public ServerAuthContext getAuthContext(String authContextId, Subject serviceSubject, Map<String, Object> properties)
                throws AuthException {
            module.initialize(null, null, handler, properties == null ? Map.of() : properties);
            return this;
        }

        @Override
        public AuthStatus validateRequest(MessageInfo messageInfo, Subject clientSubject, Subject serviceSubject)
                throws AuthException {
            return RequestCallbackHandler.carried(messageInfo, handler,
                    () -> module.validateRequest(messageInfo, clientSubject, serviceSubject));
        }

        @Override
        public AuthStatus secureResponse(MessageInfo messageInfo, Subject serviceSubject) throws AuthException {
            return module.secureResponse(messageInfo, serviceSubject);
        }

        @Override
        public void cleanSubject(MessageInfo messageInfo, Subject subject) throws AuthException {
            module.cleanSubject(messageInfo, subject);
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
        public String getAuthContextID(MessageInfo messageInfo) {
            return "jwtgate"; // one context for every message
        }

        @Override
        public void refresh() {
            // nothing is read from anywhere
        }

        @Override
        public boolean isProtected() {
            return false;
        }
    }
}
