package org.jwtgate.sample;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.jwtgate.cdi.JwtGateExtension;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.config.Settings;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.sample.account.AccountStore;
import org.jwtgate.sample.account.Authenticator;
import org.jwtgate.sample.account.DemoAccounts;
import org.jwtgate.sample.account.LoginThrottle;
import org.jwtgate.sample.account.PasswordHasher;
import org.jwtgate.sample.operations.OperationsStatus;
import org.jwtgate.sample.operations.SampleHealth;
import org.jwtgate.sample.redis.RedisTopology;
import org.jwtgate.sample.redis.SampleRedis;
import org.jwtgate.sample.token.AccessTokenIssuer;
import org.jwtgate.sample.token.RefreshTokens;
import org.jwtgate.sample.token.Sessions;
import org.jwtgate.sample.token.SigningKey;
import org.jwtgate.sample.web.AdminRevokeServlet;
import org.jwtgate.sample.web.AdminStatusServlet;
import org.jwtgate.sample.web.DpopTokenRequests;
import org.jwtgate.sample.web.HealthServlet;
import org.jwtgate.sample.web.LoginServlet;
import org.jwtgate.sample.web.LogoutServlet;
import org.jwtgate.sample.web.MeServlet;
import org.jwtgate.sample.web.RefreshServlet;
import org.jwtgate.sample.web.TokenCookies;
import org.jwtgate.sample.web.TokenResponses;
import org.jwtgate.testkit.RedisCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jwtgate.sample.settings.SampleSettings;

/**
 * Everything the app runs on besides Jetty, started before the servlet context and stopped
 * after it (a managed bean of the Server): a local Redis Cluster when {@code redis.nodes} is not
 * configured, the Redis client, the JwtAuthFilter instance, and the Weld SE container that wires
 * the components. Neither Weld nor the cluster has a shutdown hook of its own: stopping the Server
 * is the one way down, in order.
 */
final class SampleRuntime extends AbstractLifeCycle {

    /**
     * The filter's settings, as init-params: environment variables ({@code JWTGATE_*}) and system
     * properties ({@code -Djwtgate.*}) override each, exactly as in any WAR.
     */
    static final Map<String, String> FILTER_DEFAULTS = Map.of(
            ConfigKeys.JWT_ISSUER, "urn:jwtgate:sample",
            ConfigKeys.JWT_AUDIENCE, "jwtgate-sample",
            ConfigKeys.JWT_TYPE, "at+jwt",
            ConfigKeys.REVOCATION_STORE, "redis-cluster",
            ConfigKeys.PATHS_EXCLUDE, "/,/index.html,/app.js,/app.css,/favicon.ico,/login,/refresh,/health",
            ConfigKeys.PATHS_ROLES, "/admin/*=admin");

    /** The CDI beans (discovery is off: the list is the wiring, and start-up scans nothing). */
    private static final List<Class<?>> BEANS = List.of(
            AccountStore.class, Authenticator.class, LoginThrottle.class, DemoAccounts.class,
            AccessTokenIssuer.class, RefreshTokens.class, Sessions.class, TokenResponses.class,
            DpopTokenRequests.class, RedisTopology.class, SampleHealth.class, OperationsStatus.class,
            LoginServlet.class, RefreshServlet.class, LogoutServlet.class, MeServlet.class,
            AdminRevokeServlet.class, AdminStatusServlet.class, HealthServlet.class);

    private static final Logger LOG = LoggerFactory.getLogger(SampleRuntime.class);

    private final ConfigSources sources;
    private final SampleSettings settings;

    private RedisCluster localCluster;
    private SampleRedis redis;
    private JwtAuthFilter filter;
    private WeldContainer weld;
    private String redisNodes;

    SampleRuntime(ConfigSources sources, SampleSettings settings) {
        this.sources = sources;
        this.settings = settings;
    }

    @Override
    protected void doStart() {
        try {
            startAll();
        } catch (RuntimeException e) {
            try {
                release();
            } catch (RuntimeException releaseFailure) {
                // The start's failure says what to fix; a failure to undo it must not replace it.
                e.addSuppressed(releaseFailure);
            }
            throw e;
        }
    }

    /** A choice as the filter reads it, case aside ({@code ALLOWLIST} is {@code allowlist}). */
    private static String lowerCase(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    private void startAll() {
        Map<String, String> params = new LinkedHashMap<>(FILTER_DEFAULTS);
        Settings configured = Settings.load(params, sources);
        if ("none".equals(lowerCase(configured.get(ConfigKeys.REVOCATION_STORE)))) {
            // Else the app starts and its logout answers 500: a store of none revokes nothing.
            throw new ConfigurationException("Illegal value for setting [" + ConfigKeys.REVOCATION_STORE + "]: [none]; the"
                    + " sample revokes tokens (logout, refresh-token reuse, the administrator's revocation): use"
                    + " redis-cluster, redis or memory");
        }
        if (TokenCookies.REFRESH_COOKIE.equals(configured.get(ConfigKeys.TOKEN_COOKIE))) {
            // Else both tokens travel in cookies of one name, and a browser sends both to /refresh: every refresh 400.
            throw new ConfigurationException("Illegal value for setting [" + ConfigKeys.TOKEN_COOKIE + "]: ["
                    + TokenCookies.REFRESH_COOKIE + "]; the sample's refresh token travels in a cookie of that name: give"
                    + " the access token's cookie another name");
        }
        if ("allowlist".equals(lowerCase(configured.get(ConfigKeys.REVOCATION_MODE)))) {
            // Else every login answered 200 and every token was then refused: an allowlist accepts only the tokens
            // registered with it, and the sample registers none.
            throw new ConfigurationException("Illegal value for setting [" + ConfigKeys.REVOCATION_MODE + "]: [allowlist];"
                    + " the sample does not register the tokens it issues, so each would be refused: use denylist");
        }
        if ("required".equals(lowerCase(configured.get(ConfigKeys.DPOP_MODE)))) {
            // Else /login and /refresh without a proof handed out bearer pairs the filter then refused, and the
            // holder of such a pair could not even log out: it kept rotating for a day.
            throw new ConfigurationException("Illegal value for setting [" + ConfigKeys.DPOP_MODE + "]: [required]; the"
                    + " sample issues bearer tokens to a client without a DPoP proof (curl, the walkthrough): use allowed,"
                    + " with which the page's tokens are bound to its key");
        }
        boolean storeIsRedis = !"memory".equals(lowerCase(configured.get(ConfigKeys.REVOCATION_STORE)));
        redisNodes = configured.get(ConfigKeys.REDIS_NODES);
        if ("redis".equals(lowerCase(configured.get(ConfigKeys.REVOCATION_STORE))) && (redisNodes == null || redisNodes.isBlank())) {
            // Else it started a local cluster of six nodes, then refused them as one redis.nodes a user never set.
            throw new ConfigurationException("Setting [" + ConfigKeys.REDIS_NODES + "] ("
                    + ConfigKeys.environmentName(ConfigKeys.REDIS_NODES) + ") is required with [" + ConfigKeys.REVOCATION_STORE
                    + "] [redis]: the sample starts a local Redis only as a cluster (redis-cluster, the default)");
        }
        if (redisNodes == null || redisNodes.isBlank()) {
            LOG.info("No {} set: starting a local Redis Cluster (3 masters, 3 replicas)",
                    ConfigKeys.environmentName(ConfigKeys.REDIS_NODES));
            // Closed by doStop(), after the filter and Weld: its own shutdown hook would kill it while they still run.
            localCluster = RedisCluster.builder().withoutShutdownHook().start();
            redisNodes = localCluster.nodesSpec();
            if (storeIsRedis) {
                params.put(ConfigKeys.REDIS_NODES, redisNodes);
            }
        }
        if (!configured.isSet(ConfigKeys.JWT_SECRET) && !configured.isSet(ConfigKeys.JWT_PUBLIC_KEY)
                && !configured.isSet(ConfigKeys.JWT_JWKS_URI)) {
            if (settings.signingKey() != null) {
                throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY + "] is set: also set ["
                        + ConfigKeys.JWT_PUBLIC_KEY + "] (" + ConfigKeys.environmentName(ConfigKeys.JWT_PUBLIC_KEY)
                        + ") to its public key");
            }
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            params.put(ConfigKeys.JWT_SECRET, "base64:" + Base64.getEncoder().encodeToString(secret));
            LOG.warn("No {} set: signing with a random secret made for this run; every token dies with the process",
                    ConfigKeys.environmentName(ConfigKeys.JWT_SECRET));
        }

        JwtGateConfig config = JwtGateConfig.load(params, sources);
        SigningKey signingKey = signingKey(config);
        if (settings.accessTokenLifetime().toSeconds() > config.verification().maxAgeSeconds()) {
            throw new ConfigurationException("Setting [" + SampleSettings.ACCESS_TOKEN_SECONDS + "] ["
                    + settings.accessTokenLifetime().toSeconds() + "] exceeds [" + ConfigKeys.JWT_MAX_AGE_SECONDS
                    + "] [" + config.verification().maxAgeSeconds() + "]: the filter would refuse every token");
        }
        boolean cluster = config.revocation().store() != RevocationSettings.StoreType.REDIS;
        redis = SampleRedis.connect(RedisNode.parseList(redisNodes), config.redis(), cluster);
        filter = JwtAuthFilter.builder().settings(params).sources(sources).build();

        Weld container = new Weld("jwtgate-sample-" + UUID.randomUUID())
                .disableDiscovery()
                .skipShutdownHook() // stopped by doStop(), after the servlet context: the JVM runs hooks at once
                .addExtension(new JwtGateExtension())
                .addExtension(new SampleBeans(settings, config, signingKey, redis,
                        new PasswordHasher(settings.pbkdf2Iterations()), filter));
        BEANS.forEach(container::addBeanClass);
        weld = container.initialize();
        if (settings.seedDemoAccounts()) {
            weld.select(DemoAccounts.class).get().seed();
        }
    }

    private SigningKey signingKey(JwtGateConfig config) {
        if (settings.signingKey() != null) {
            return SigningKey.privateKey(settings.signingKey(), config.verification());
        }
        if (config.verification().secret() != null) {
            return SigningKey.hmac(config.verification());
        }
        throw new ConfigurationException("[" + ConfigKeys.JWT_PUBLIC_KEY + "] or [" + ConfigKeys.JWT_JWKS_URI
                + "] is set, but the sample has no private key to sign with: set [" + SampleSettings.SIGNING_KEY + "]");
    }


    @Override
    protected void doStop() {
        release();
    }

    /** Weld, then the Redis client, then the local cluster; each even when the one before failed to stop. */
    private void release() {
        try {
            if (weld != null && weld.isRunning()) {
                weld.shutdown();
            }
        } finally {
            weld = null;
            try {
                if (redis != null) {
                    redis.close();
                }
            } finally {
                redis = null;
                if (localCluster != null) {
                    localCluster.close();
                    LOG.info("Local Redis Cluster stopped");
                    localCluster = null;
                }
                filter = null;
            }
        }
    }

    JwtAuthFilter filter() {
        requireStarted();
        return filter;
    }

    <T> T bean(Class<T> type) {
        requireStarted();
        return weld.select(type).get();
    }

    /** The Redis nodes in use (the local cluster's when it was started here). */
    String redisNodes() {
        return redisNodes;
    }

    boolean startedLocalCluster() {
        return localCluster != null;
    }

    boolean demoAccountsSeeded() {
        return settings.seedDemoAccounts();
    }

    private void requireStarted() {
        if (weld == null) {
            throw new IllegalStateException("The sample's runtime is not started");
        }
    }
}
