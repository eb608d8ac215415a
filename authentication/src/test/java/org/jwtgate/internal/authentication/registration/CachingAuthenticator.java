package org.jwtgate.internal.authentication.registration;

import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.auth.message.config.AuthConfigProvider;
import jakarta.security.auth.message.config.RegistrationListener;
import jakarta.security.auth.message.module.ServerAuthModule;
import java.util.Optional;

/**
 * Tomcat's authenticator valve as far as registrations go (AuthenticatorBase.getJaspicProvider,
 * findJaspicProvider, notify): it looks the provider up at its first request, keeps the answer — "none"
 * included — and looks again only when the factory notifies it. The valve outlives a context reload.
 */
final class CachingAuthenticator implements RegistrationListener {

    private final String appContext;
    private Optional<AuthConfigProvider> provider; // null: not looked up yet

    /** @param appContext {@code "<virtual server> <context path>"}, as the valve computes it */
    CachingAuthenticator(String appContext) {
        this.appContext = appContext;
    }

    /** The module a request would reach, or null when the valve falls back to the application's login-config. */
    ServerAuthModule module() {
        if (provider == null) {
            lookUp();
        }
        return provider.map(found -> ((FakeFactory.ModuleProvider) found).module()).orElse(null);
    }

    @Override
    public void notify(String layer, String appContext) {
        lookUp();
    }

    private void lookUp() {
        provider = Optional.ofNullable(AuthConfigFactory.getFactory().getConfigProvider(ModuleRegistration.LAYER, appContext, this));
    }
}
