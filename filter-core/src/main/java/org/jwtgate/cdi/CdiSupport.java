package org.jwtgate.cdi;

import org.jwtgate.revocation.RevocationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter's only door to CDI. Holds no CDI type itself: it looks for the CDI API once and
 * calls {@link CdiPublication} (which does use CDI) only when the API is on the classpath, so
 * JwtGate runs unchanged where there is no CDI at all.
 */
public final class CdiSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CdiSupport.class);
    private static final boolean CDI_ON_CLASSPATH = isOnClasspath("jakarta.enterprise.inject.spi.CDI");

    private CdiSupport() {
    }

    /** Whether the CDI API can be loaded by JwtGate's class loader. */
    public static boolean isCdiOnClasspath() {
        return CDI_ON_CLASSPATH;
    }

    /**
     * Offers a started filter's revocation API to the running CDI container, if there is one, for
     * {@code @Inject RevocationService}. Without CDI, or before a container runs, nothing happens.
     */
    public static void publish(RevocationService service) {
        if (!CDI_ON_CLASSPATH) {
            return;
        }
        try {
            CdiPublication.publish(service);
        } catch (RuntimeException | LinkageError e) {
            // No container runs (CDI.current() throws), or it did not load JwtGate's extension.
            LOG.debug("Revocation API not offered to CDI: {}", e.toString());
        }
    }

    /** Withdraws what {@link #publish} offered; called when the filter is destroyed. */
    public static void withdraw(RevocationService service) {
        if (!CDI_ON_CLASSPATH) {
            return;
        }
        try {
            CdiPublication.withdraw(service);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Revocation API not withdrawn from CDI: {}", e.toString());
        }
    }

    private static boolean isOnClasspath(String className) {
        try {
            Class.forName(className, false, CdiSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
