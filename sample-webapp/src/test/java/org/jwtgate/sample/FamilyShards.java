package org.jwtgate.sample;

import java.util.Arrays;
import org.jwtgate.testkit.RedisCluster;

/** Where a refresh family's records live: the shard of its hash tag, the family id before the token's dot. */
final class FamilyShards {

    private FamilyShards() {
    }

    /** A login of alice whose refresh family's record lives on another shard than each of {@code masters}'. */
    static HttpAnswer aliceLoginOffShardsOf(SampleClient http, RedisCluster cluster, RedisCluster.Node... masters)
            throws Exception {
        for (int i = 0; i < 40; i++) {
            HttpAnswer login = http.loggedIn("alice", "wonderland");
            String family = masterOf(cluster, login).id();
            if (Arrays.stream(masters).noneMatch(master -> master.id().equals(family))) {
                return login;
            }
        }
        throw new AssertionError("no family of alice landed off the shards of " + Arrays.toString(masters)
                + " in 40 logins");
    }

    /** The master of the shard that keeps the refresh family of {@code login} ({@code <family id>.<secret>}). */
    static RedisCluster.Node masterOf(RedisCluster cluster, HttpAnswer login) {
        String token = login.string("refresh_token");
        return cluster.masterForKey("{" + token.substring(0, token.indexOf('.')) + "}");
    }
}
