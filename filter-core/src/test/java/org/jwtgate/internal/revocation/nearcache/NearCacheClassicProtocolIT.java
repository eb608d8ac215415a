package org.jwtgate.internal.revocation.nearcache;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.RedisServerBinary;
import org.jwtgate.testkit.junit.RedisClusterExtension;

/**
 * The near-cache's protocol on Redis 6.2 (the binary of the embedded-redis jar), which has no sharded
 * pub/sub: announcements fall back to classic pub/sub; heartbeats stay one read on the subscription.
 */
class NearCacheClassicProtocolIT extends NearCacheProtocolContract {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(
            RedisCluster.builder().binary(RedisServerBinary.embedded()));

    @Override
    RedisCluster cluster() {
        return REDIS.cluster();
    }

    @Override
    String expectedMode() {
        return "classic";
    }
}
