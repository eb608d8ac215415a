package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;

/** The near-cache's protocol on Redis 7+ (redis-server from REDIS_SERVER or PATH): sharded pub/sub. */
class NearCacheShardedProtocolIT extends NearCacheProtocolContract {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @BeforeAll
    static void requireRedis7() {
        int major = REDIS.cluster().binary().majorVersion();
        assertTrue(major >= 7, "sharded pub/sub needs Redis 7+; this machine's redis-server is "
                + REDIS.cluster().binary() + " (./verify.sh installs Debian's redis-server 7)");
    }

    @Override
    RedisCluster cluster() {
        return REDIS.cluster();
    }

    @Override
    String expectedMode() {
        return "sharded";
    }
}
