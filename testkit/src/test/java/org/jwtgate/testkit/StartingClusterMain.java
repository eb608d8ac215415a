package org.jwtgate.testkit;

import java.time.Duration;

/**
 * A JVM that starts a one-node cluster without the cluster's own shutdown hook, as the sample does, and waits up to
 * a minute for it: {@link ClusterCleanupIT} ends it with SIGTERM while its node still starts.
 */
public final class StartingClusterMain {

    private StartingClusterMain() {
    }

    public static void main(String[] args) {
        RedisCluster.builder().masters(1).replicasPerMaster(0).withoutShutdownHook()
                .startTimeout(Duration.ofMinutes(1)).start().close();
    }
}
