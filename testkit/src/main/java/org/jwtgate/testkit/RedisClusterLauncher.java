package org.jwtgate.testkit;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a local Redis Cluster until Ctrl-C, e.g. for the sample app:
 * {@code java -cp <jwtgate-testkit and its dependencies> org.jwtgate.testkit.RedisClusterLauncher [--tls] [masters] [replicasPerMaster]}.
 * Prints the nodes spec ({@code 127.0.0.1:p1,...}) as the only line on stdout. With {@code --tls} the nodes speak TLS
 * only, with a throw-away CA whose trust store is named on stderr (see {@link RedisCluster.Builder#tls()}).
 *
 * <p>{@code --help} (or {@code -h}), wherever it stands, prints the usage (exit 0). An unknown option, a value that is no number or out of range, or a third
 * argument is refused on stderr with the usage (exit {@value #EXIT_USAGE}); a cluster that cannot start (no usable
 * {@code redis-server}, a timeout) is reported on stderr without a stack trace (exit {@value #EXIT_START_FAILED}).
 * Ctrl-C or SIGTERM kills the nodes and deletes their directory; after a SIGKILL of this JVM the next JVM that starts a
 * cluster does (see {@link RedisCluster}).
 */
public final class RedisClusterLauncher {

    /** The cluster could not start. */
    public static final int EXIT_START_FAILED = 1;
    /** The arguments were refused. */
    public static final int EXIT_USAGE = 2;

    static final String USAGE = String.join("\n",
            "Usage: RedisClusterLauncher [--tls] [masters] [replicasPerMaster]",
            "  Starts a Redis Cluster on 127.0.0.1 (default: 3 masters, 1 replica each) until Ctrl-C, and prints its",
            "  nodes (the value for redis.nodes) as the only line on standard output.",
            "  --tls   the nodes speak TLS only; the trust store of their throw-away CA is named on standard error",
            "  -h, --help  prints this usage, whatever else is given",
            "  redis-server comes from REDIS_SERVER (a path, a command on the PATH, or 'embedded'), else the PATH,",
            "  else the embedded-redis jar.",
            "  Exit codes: 1 the cluster did not start, 2 the arguments were refused.");

    private RedisClusterLauncher() {
    }

    /**
     * Starts the cluster, prints its nodes, and waits until the JVM is stopped; see the class comment for the arguments
     * and the exit codes.
     *
     * @param args {@code [--tls] [masters] [replicasPerMaster]}, or {@code --help}
     * @throws InterruptedException when the main thread is interrupted while the cluster runs (the shutdown hooks
     *                              still kill the nodes when the JVM exits)
     */
    public static void main(String[] args) throws InterruptedException {
        RedisCluster.Builder options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println("RedisClusterLauncher: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (options == null) {
            System.out.println(USAGE);
            return;
        }
        RedisCluster cluster;
        try {
            cluster = options.start();
        } catch (RuntimeException e) {
            // The rig's own failures say what to do; anything else (a Jedis error while forming) is named by its class.
            String reason = e instanceof RedisClusterException ? e.getMessage() : e.toString();
            System.err.println("RedisClusterLauncher: the cluster did not start: " + reason);
            System.exit(EXIT_START_FAILED);
            return;
        }
        // Ctrl-C runs shutdown hooks: this one and the cluster's own, which kills the processes.
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "redis-cluster-launcher-stop"));
        System.out.println(cluster.nodesSpec());
        System.err.println("Redis Cluster running with " + cluster.binary() + " in " + cluster.baseDir() + "; Ctrl-C stops it.");
        cluster.tls().ifPresent(tls -> System.err.println("TLS only; trust store (password " + RedisTls.STORE_PASSWORD + "): "
                + tls.trustStore()));
        new CountDownLatch(1).await(); // until the JVM is stopped
    }

    /**
     * The options the arguments ask for; null for {@code --help} or {@code -h} anywhere. Throws with a message naming a
     * refused argument.
     */
    static RedisCluster.Builder options(String... args) {
        // Help wins over any other argument, even one refused, as in the benchmark harnesses.
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            return null;
        }
        RedisCluster.Builder options = RedisCluster.builder();
        int position = 0;
        for (String arg : args) {
            if (arg.equals("--tls")) {
                options.tls();
            } else if (arg.startsWith("-") && !arg.matches("-\\d+")) {
                throw new IllegalArgumentException("Unknown option [" + arg + "]");
            } else if (position == 0) {
                options.masters(number("masters", arg));
                position++;
            } else if (position == 1) {
                options.replicasPerMaster(number("replicasPerMaster", arg));
                position++;
            } else {
                throw new IllegalArgumentException("Unexpected argument [" + arg + "]: only masters and replicasPerMaster are taken");
            }
        }
        options.nodeCount(); // a cluster larger than the ports is refused with the usage, as a count out of range
        return options;
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Illegal number for [" + name + "]: [" + value + "]");
        }
    }
}
