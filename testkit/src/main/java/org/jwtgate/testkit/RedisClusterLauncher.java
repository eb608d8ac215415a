package org.jwtgate.testkit;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a local Redis Cluster until Ctrl-C, e.g. for the sample app:
 * {@code java -cp <jwtgate-testkit and its dependencies> org.jwtgate.testkit.RedisClusterLauncher [--tls] [masters] [replicasPerMaster]}.
 * Prints the nodes spec ({@code 127.0.0.1:p1,...}) as the only line on stdout. With {@code --tls} the nodes speak TLS
 * only, with a throw-away CA whose trust store is named on stderr (see {@link RedisCluster.Builder#tls()}).
 */
public final class RedisClusterLauncher {

    private RedisClusterLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        RedisCluster.Builder options = RedisCluster.builder();
        if (args.length > 0 && args[0].equals("--tls")) {
            options.tls();
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
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
        cluster.tls().ifPresent(tls -> System.err.println("TLS only; trust store (password " + RedisTls.STORE_PASSWORD + "): "
                + tls.trustStore()));
        new CountDownLatch(1).await(); // until the JVM is stopped
    }
}
