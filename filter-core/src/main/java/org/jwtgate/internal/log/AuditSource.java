package org.jwtgate.internal.log;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which application an audit line is of: the filter's name and the application's context path, as its MBeans
 * ({@code filter=…,context=…}) and meters (tags {@code filter}, {@code context}) name it. Without them the lines of two
 * applications of one JVM (two WARs writing to one {@code catalina.out}) could not be told apart. A front end names
 * its gate's revocation service once it knows both, before the service is reachable by the application; a service no
 * filter or module started (the CLI's, {@code JwtGate.start} in an application's own code) stays unnamed, and its
 * lines carry neither field.
 */
public final class AuditSource {

    /** By owner (a revocation service), weakly: an application's service is gone with its application. */
    private static final Map<Object, AuditSource> BY_OWNER = Collections.synchronizedMap(new WeakHashMap<>());

    private volatile String[] fields = new String[0];

    private AuditSource() {
    }

    /**
     * The source of {@code owner}'s audit lines, created unnamed on first use. The owner must not override
     * {@code equals}: sources are kept by identity.
     */
    public static AuditSource of(Object owner) {
        return BY_OWNER.computeIfAbsent(owner, o -> new AuditSource());
    }

    /** A source that names nothing, for lines of no front end's. */
    public static AuditSource unnamed() {
        return new AuditSource();
    }

    /**
     * Names the application: {@code filter=<name> context=<path>} on each of its lines from now on.
     *
     * @param name        the filter's name (the module's {@code JwtServerAuthModule}); null leaves it out
     * @param contextPath the application's context path, {@code /} for the root one; null (outside a servlet
     *                    container) leaves it out
     */
    public void identify(String name, String contextPath) {
        String context = contextPath == null ? null : contextPath.isEmpty() ? "/" : contextPath;
        fields = new String[] {"filter", name, "context", context};
    }

    /** {@code filter}, its name, {@code context}, its path (a null value is left out of the line); none if unnamed. */
    String[] fields() {
        return fields;
    }
}
