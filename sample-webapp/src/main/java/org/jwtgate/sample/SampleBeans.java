package org.jwtgate.sample;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Singleton;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.sample.account.PasswordHasher;
import org.jwtgate.sample.redis.SampleRedis;
import org.jwtgate.sample.token.SigningKey;
import org.jwtgate.sample.settings.SampleSettings;

/**
 * Hands the objects built at start-up (settings, JwtGate's configuration, the signing key, the
 * Redis client, the password hasher, this app's JwtAuthFilter) to the CDI container as singletons, so
 * the components can simply {@code @Inject} them.
 */
final class SampleBeans implements Extension {

    private final SampleSettings settings;
    private final JwtGateConfig config;
    private final SigningKey signingKey;
    private final SampleRedis redis;
    private final PasswordHasher hasher;
    private final JwtAuthFilter filter;

    SampleBeans(SampleSettings settings, JwtGateConfig config, SigningKey signingKey, SampleRedis redis,
                PasswordHasher hasher, JwtAuthFilter filter) {
        this.settings = settings;
        this.config = config;
        this.signingKey = signingKey;
        this.redis = redis;
        this.hasher = hasher;
        this.filter = filter;
    }

    void register(@Observes AfterBeanDiscovery event) {
        add(event, SampleSettings.class, settings);
        add(event, JwtGateConfig.class, config);
        add(event, SigningKey.class, signingKey);
        add(event, SampleRedis.class, redis);
        add(event, PasswordHasher.class, hasher);
        add(event, JwtAuthFilter.class, filter);
    }

    private static <T> void add(AfterBeanDiscovery event, Class<T> type, T instance) {
        event.addBean().beanClass(type).types(type, Object.class).scope(Singleton.class).createWith(context -> instance);
    }
}
