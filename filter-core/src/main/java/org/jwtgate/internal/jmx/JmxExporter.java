package org.jwtgate.internal.jmx;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.jwtgate.engine.Health;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.metrics.GateMetrics.CheckPath;
import org.jwtgate.internal.metrics.GateMetrics.Outcome;
import org.jwtgate.internal.metrics.GateMetrics.Reason;
import org.jwtgate.internal.metrics.GateMetrics.RedisEvent;

/**
 * Registers one JwtGate's figures as MBeans on the platform MBean server, under
 * {@code org.jwtgate:type=<Requests|Verification|Revocation|Redis|Jwks|Health>,filter=<name>[,context=<path>]}
 * (the context key tells apart filters of the same name in several applications of one container).
 * Needs no dependency: jconsole and any JMX client read them. {@link #close()} unregisters them.
 * A name already taken (the previous start of the application during a redeploy that starts the new instance
 * first, an instance never destroyed, or another application with the same context path and filter name) goes to
 * the newest instance, with one WARN.
 */
public final class JmxExporter implements AutoCloseable {

    private static final Log LOG = Log.of(JmxExporter.class);

    /**
     * Written into each MBean's description: closing an older exporter must not remove a newer one's MBeans,
     * and the newer one may live in another application's class loader, where no static field is shared.
     */
    private final String id = "JwtGate exporter " + UUID.randomUUID();
    private final List<ObjectName> registered = new ArrayList<>();

    private JmxExporter() {
    }

    /**
     * Registers the MBeans; a refused registration (a name taken, a security manager) is logged, never thrown.
     *
     * @throws RuntimeException when there is no platform MBean server to register with (a security manager without
     *                          {@code createMBeanServer}): {@link org.jwtgate.internal.export.Exporters} logs it
     */
    public static JmxExporter register(GateMetrics metrics, Supplier<Health> health, String filterName, String contextPath) {
        JmxExporter exporter = new JmxExporter();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        boolean taken = false;
        taken |= exporter.add(server, "Requests", filterName, contextPath,
                exporter.owned(requests(metrics), RequestsMBean.class));
        taken |= exporter.add(server, "Verification", filterName, contextPath,
                exporter.owned(verification(metrics), VerificationMBean.class));
        taken |= exporter.add(server, "Revocation", filterName, contextPath,
                exporter.owned(revocation(metrics), RevocationMBean.class));
        taken |= exporter.add(server, "Redis", filterName, contextPath,
                exporter.owned(redis(metrics), RedisMBean.class));
        taken |= exporter.add(server, "Jwks", filterName, contextPath, exporter.owned(jwks(metrics), JwksMBean.class));
        taken |= exporter.add(server, "Health", filterName, contextPath, exporter.owned(new HealthMBean() {
            @Override
            public String getStatus() {
                return health.get().status().name();
            }

            @Override
            public String getDetails() {
                return health.get().toString();
            }
        }, HealthMBean.class));
        if (taken) {
            // One line for the six: Jetty 12's deployer starts an application's new context before it stops the old
            // one, so every hot redeploy takes the names over; the old instance then leaves them alone (close()).
            LOG.warn("JwtGate MBeans of filter [{}] in context [{}] are taken over from another instance that held "
                    + "them: the previous start of this application, in a redeploy that starts the new instance before it "
                    + "stops the old (as Jetty 12's deployer does; the old one leaves them when it stops), an instance "
                    + "that was not stopped, or another application with the same context path and filter name; give "
                    + "filters distinct names to see both", filterName,
                    contextPath == null ? "none" : contextPath.isEmpty() ? "/" : contextPath); // as the MBeans' context key
        }
        return exporter;
    }

    /** {@code org.jwtgate:type=<type>,filter=<name>[,context=<path>]}, values quoted where JMX needs it. */
    public static ObjectName name(String type, String filterName, String contextPath) throws Exception {
        StringBuilder name = new StringBuilder("org.jwtgate:type=").append(type).append(",filter=")
                .append(ObjectName.quote(filterName));
        if (contextPath != null) {
            name.append(",context=").append(ObjectName.quote(contextPath.isEmpty() ? "/" : contextPath));
        }
        return new ObjectName(name.toString());
    }

    /** An MBean whose description carries this exporter's id. */
    private <T> StandardMBean owned(T implementation, Class<T> type) {
        return new StandardMBean(implementation, type, false) {
            @Override
            protected String getDescription(MBeanInfo info) {
                return id;
            }
        };
    }

    private boolean ownedByThis(MBeanServer server, ObjectName name) {
        try {
            return id.equals(server.getMBeanInfo(name).getDescription());
        } catch (Exception e) {
            return false; // gone
        }
    }

    /** Registers one MBean; true when another instance held its name (register() says so once for all six). */
    private boolean add(MBeanServer server, String type, String filterName, String contextPath, StandardMBean mbean) {
        boolean taken = false;
        try {
            ObjectName name = name(type, filterName, contextPath);
            synchronized (server) { // see close()
                if (server.isRegistered(name)) {
                    taken = true;
                    server.unregisterMBean(name);
                }
                server.registerMBean(mbean, name);
            }
            registered.add(name);
        } catch (Exception | LinkageError e) {
            LOG.warn("JwtGate MBean {} of filter [{}] not registered: {}", type, filterName, e.toString());
        }
        return taken;
    }

    @Override
    public void close() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        // The owner check and the unregistering are one step for every exporter: a newer instance taking a name
        // over in between would otherwise lose that MBean. The platform server is the one object all applications'
        // copies of this class share, so it is the lock.
        synchronized (server) {
            for (ObjectName name : registered) {
                if (!ownedByThis(server, name)) {
                    continue; // taken over by a newer instance
                }
                try {
                    server.unregisterMBean(name);
                } catch (Exception e) {
                    // Already gone.
                }
            }
        }
        registered.clear();
    }

    private static RequestsMBean requests(GateMetrics m) {
        return new RequestsMBean() {
            public long getAuthenticated() { return m.outcomes(Outcome.AUTHENTICATED); }
            public long getPublic() { return m.outcomes(Outcome.PUBLIC); }
            public long getAnonymous() { return m.outcomes(Outcome.ANONYMOUS); }
            public long getRefused() { return m.outcomes(Outcome.REFUSED); }
            public long getRefusedMissing() { return m.refusals(Reason.MISSING); }
            public long getRefusedMalformed() { return m.refusals(Reason.MALFORMED); }
            public long getRefusedInvalid() { return m.refusals(Reason.INVALID); }
            public long getRefusedExpired() { return m.refusals(Reason.EXPIRED); }
            public long getRefusedNotYetValid() { return m.refusals(Reason.NOT_YET_VALID); }
            public long getRefusedRevoked() { return m.refusals(Reason.REVOKED); }
            public long getRefusedInsufficientScope() { return m.refusals(Reason.INSUFFICIENT_SCOPE); }
            public long getRefusedCsrf() { return m.refusals(Reason.CSRF); }
            public long getRefusedDpop() { return m.refusals(Reason.DPOP); }
            public long getUnavailable() { return m.outcomes(Outcome.UNAVAILABLE); }
            public long getFailOpen() { return m.outcomes(Outcome.FAIL_OPEN); }
        };
    }

    private static VerificationMBean verification(GateMetrics m) {
        return new VerificationMBean() {
            public long getVerifications() { return m.verification().count(); }
            public double getMeanVerificationMicros() { return mean(m.verification()) / 1e3; }
            public long getCacheHits() { return m.cacheHits(); }
            public long getCacheMisses() { return m.cacheMisses(); }
            public long getCacheSize() { return m.cacheSize(); }
        };
    }

    private static RevocationMBean revocation(GateMetrics m) {
        return new RevocationMBean() {
            public long getChecksNearCache() { return m.checks(CheckPath.NEAR_CACHE); }
            public long getChecksFallback() { return m.checks(CheckPath.FALLBACK); }
            public long getChecksStore() { return m.checks(CheckPath.STORE); }
            public int getNearCacheFresh() {
                return m.nearCache() == null || !m.nearCache().started() ? -1 : m.nearCache().fresh() ? 1 : 0;
            }
            public long getNearCacheHeartbeatAgeMillis() { return m.nearCache() == null ? -1 : m.nearCache().heartbeatAgeMillis(); }
            public long getNearCacheExactEntries() { return m.nearCache() == null ? 0 : m.nearCache().exactEntries(); }
            public long getNearCacheBloomEntries() { return m.nearCache() == null ? 0 : m.nearCache().bloomEntries(); }
            public String getNearCachePubSubMode() { return m.nearCache() == null ? "none" : m.nearCache().pubSubMode(); }
            public long getNearCacheLoads() { return m.loads().count(); }
            public double getNearCacheMeanLoadMillis() { return mean(m.loads()) / 1e6; }
            public long getNearCacheFailedLoads() { return m.loadFailures(); }
            public long getNearCacheFailedReloads() { return m.reloadFailures(); }
            public long getAnnouncementsSent() { return m.announcementsSent(); }
            public long getAnnouncementsReceived() { return m.announcementsReceived(); }
            public long getNotDurableRevocations() { return m.notDurableRevocations(); }
        };
    }

    private static RedisMBean redis(GateMetrics m) {
        return new RedisMBean() {
            public long getCalls() { return m.redisCalls().count(); }
            public double getMeanCallMillis() { return mean(m.redisCalls()) / 1e6; }
            public long getTimeouts() { return m.redisEvents(RedisEvent.TIMEOUT); }
            public long getRefusedConnections() { return m.redisEvents(RedisEvent.REFUSED); }
            public long getRedirectsFollowed() { return m.redisEvents(RedisEvent.REDIRECT); }
            public long getClusterDown() { return m.redisEvents(RedisEvent.CLUSTERDOWN); }
            public long getOtherFailures() { return m.redisEvents(RedisEvent.OTHER); }
        };
    }

    private static JwksMBean jwks(GateMetrics m) {
        return new JwksMBean() {
            public long getSuccessfulFetches() { return m.jwksFetches(true); }
            public long getFailedFetches() { return m.jwksFetches(false); }
            public int getKeys() { return m.jwks() == null ? -1 : m.jwks().keys(); }
            public long getMillisSinceLastSuccess() { return m.jwks() == null ? -1 : m.jwks().millisSinceLastSuccess(); }
        };
    }

    private static double mean(GateMetrics.Timing timing) {
        long count = timing.count();
        return count == 0 ? 0 : (double) timing.totalNanos() / count;
    }
}
