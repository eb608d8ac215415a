package org.jwtgate.sample;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends JwtGate's log lines to the sample's SLF4J binding when the JDK sent them to java.util.logging.
 *
 * <p>JwtGate logs through the JDK's {@link System.Logger}, which slf4j-jdk-platform-logging routes to SLF4J, but
 * the JDK looks its {@link System.LoggerFinder} up through the system class loader only
 * ({@code jdk.internal.logger.LoggerFinderLoader}). {@code exec:java}, the README's sample command, runs the sample
 * in a class loader of its own inside Maven's JVM: there the JDK keeps its default finder, which writes
 * java.util.logging's two-line format at java.util.logging's levels, not the sample's {@code simplelogger.properties}.
 * Started with {@code java -cp}, the sample has SLF4J's finder and this does nothing.
 */
final class SystemLoggerToSlf4j {

    /** Held here because java.util.logging keeps its loggers weakly: a collected logger forgets its level. */
    private static final Logger JWTGATE = Logger.getLogger("org.jwtgate");

    private SystemLoggerToSlf4j() {
    }

    /** Routes java.util.logging to SLF4J if that is where the JDK sends {@code System.Logger}; true if it did. */
    static boolean routeIfSentToJul() {
        if (System.LoggerFinder.getLoggerFinder().getClass().getModule() != Logger.class.getModule()) {
            return false;
        }
        routeJulToSlf4j();
        return true;
    }

    /** java.util.logging's records go to SLF4J alone, JwtGate's at every level: SLF4J's configuration picks them. */
    static void routeJulToSlf4j() {
        SLF4JBridgeHandler.removeHandlersForRootLogger(); // its console handler would print each line a second time
        SLF4JBridgeHandler.install();
        // Only JwtGate's: the JDK's own loggers stay at INFO, so none of their FINE lines (request headers) is built.
        JWTGATE.setLevel(Level.ALL);
    }
}
