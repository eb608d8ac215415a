package org.jwtgate.internal.authentication.registration;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.MessagePolicy;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import org.jwtgate.authentication.JwtServerAuthModule;

/**
 * What is registered with the factory while the application deploys: a stand-in for the
 * {@link JwtServerAuthModule} that {@link ModuleLifecycle} starts once the application's listeners
 * run, so that a deployment failing before then leaves no Redis or JWKS client, thread or MBean
 * behind (Jetty never tells the application's listeners about such a failure). Registration cannot
 * wait: Jetty's authenticator looks the provider up when the context's security handler starts,
 * before any listener runs. No request reaches the application before its listeners have run, in
 * either container; one that did would be an error ({@link AuthException}).
 */
final class DeferredModule implements ServerAuthModule {

    private static final Class<?>[] SUPPORTED_MESSAGE_TYPES = {HttpServletRequest.class, HttpServletResponse.class};

    private final String application;
    private volatile JwtServerAuthModule module;

    DeferredModule(String application) {
        this.application = application;
    }

    /** Hands over the started module; the requests go to it from now on. */
    void started(JwtServerAuthModule startedModule) {
        this.module = startedModule;
    }

    /** The started module, or null before {@link #started}. */
    JwtServerAuthModule module() {
        return module;
    }

    @Override
    public Class<?>[] getSupportedMessageTypes() {
        return SUPPORTED_MESSAGE_TYPES.clone();
    }

    @Override
    public void initialize(MessagePolicy requestPolicy, MessagePolicy responsePolicy, CallbackHandler handler,
                           Map<String, Object> options) throws AuthException {
        running().initialize(requestPolicy, responsePolicy, handler, options);
    }

    @Override
    public AuthStatus validateRequest(MessageInfo messageInfo, Subject clientSubject, Subject serviceSubject)
            throws AuthException {
        return running().validateRequest(messageInfo, clientSubject, serviceSubject);
    }

    @Override
    public AuthStatus secureResponse(MessageInfo messageInfo, Subject serviceSubject) throws AuthException {
        return running().secureResponse(messageInfo, serviceSubject);
    }

    @Override
    public void cleanSubject(MessageInfo messageInfo, Subject subject) throws AuthException {
        running().cleanSubject(messageInfo, subject);
    }

    private JwtServerAuthModule running() throws AuthException {
        JwtServerAuthModule current = module;
        if (current == null) {
            throw new AuthException("The JwtGate authentication module for [" + application
                    + "] is not started: the application has not finished deploying");
        }
        return current;
    }
}
