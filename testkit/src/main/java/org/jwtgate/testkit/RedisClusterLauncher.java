package org.jwtgate.testkit;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a local Redis Cluster until Ctrl-C, e.g. for the sample app:
 * {@code java -cp <jwtgate-testkit and its dependencies> org.jwtgate.testkit.RedisClusterLauncher [masters] [replicasPerMaster]}.
 * Prints the nodes spec ({@code 127.0.0.1:p1,...}) as the only line on stdout.
 */
public final class RedisClusterLauncher {

    private RedisClusterLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        RedisCluster.Builder options = RedisCluster.builder();
        if (args.length > 0) {
            options.masters(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            options.replicasPerMaster(Integer.parseInt(args[1]));
        }
        RedisCluster cluster = options.start();
        // Ctrl-C runs shutdown hooks: this one and the cluster's own, which kills the processes.
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "redis-cluster-launcher-stop"));
        System.out.println(cluster.nodesSpec());
        System.err.println("Redis Cluster running with " + cluster.binary() + " in " + cluster.baseDir() + "; Ctrl-C stops it.");
        new CountDownLatch(1).await(); // until the JVM is stopped
    }
}
