package org.jwtgate.testkit;

import java.io.IOException;
import java.security.Security;

/**
 * A JVM whose cluster starts fail after the cluster's directory exists, for {@link ClusterCleanupIT}: first the TLS
 * client's trust manager cannot be made (an unknown default algorithm, a setting this JVM may change for itself), then
 * a start from a shutdown hook cannot register the cluster's own hook. After each it prints the failure and the
 * cluster directories this JVM still owns: {@code <case>: <exception> left [<directories>]}.
 */
public final class FailingClusterStartsMain {

    private FailingClusterStartsMain() {
    }

    public static void main(String[] args) {
        Security.setProperty("ssl.TrustManagerFactory.algorithm", "NoSuchTrustManager");
        report("trust manager", () -> RedisCluster.builder().masters(1).replicasPerMaster(0).tls().start());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> report("during shutdown",
                () -> RedisCluster.builder().masters(1).replicasPerMaster(0).start())));
    }

    private static void report(String name, Runnable start) {
        try {
            start.run();
            System.out.println(name + ": started");
        } catch (RuntimeException e) {
            String left;
            try {
                left = ClusterCleanupIT.clusterDirsOfThisJvm().toString();
            } catch (IOException listing) {
                left = "unknown: " + listing;
            }
            System.out.println(name + ": " + e + " left " + left);
        }
    }
}
