package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * A cluster can have at most 10,000 nodes, the ports the rig picks from ([12000, 22000)): a larger one is refused by
 * the builder, naming the count and the range, before anything starts. Before, 3 masters with 2147483647 replicas
 * each overflowed to a negative node count and start() ended in ArrayList's "Illegal Capacity: -2147483648" (the
 * launcher: exit 1, not 2 with the usage), and masters() took up to 16384.
 */
class ClusterSizeBoundsTest {

    @Test
    void whenTheReplicaCountIsBeyondThePortsThenTheBuilderRefusesItNamingTheRange() {
        RedisCluster.Builder builder = RedisCluster.builder().masters(3);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> builder.replicasPerMaster(Integer.MAX_VALUE));

        assertEquals("replicasPerMaster must be in [0, 9999]: 2147483647", refused.getMessage());
    }

    @Test
    void whenTheMastersAreBeyondThePortsThenTheBuilderRefusesThem() {
        RedisCluster.Builder builder = RedisCluster.builder();

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> builder.masters(16384));

        assertEquals("masters must be in [1, 10000]: 16384", refused.getMessage());
    }

    @Test
    void whenMastersTimesNodesPerMasterIsBeyondThePortsThenStartRefusesItBeforeStartingAnything() {
        RedisCluster.Builder builder = RedisCluster.builder().masters(3).replicasPerMaster(4000);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, builder::start);

        assertEquals("masters x (1 + replicasPerMaster) must be at most 10000 nodes: 3 x 4001 = 12003", refused.getMessage());
    }

    @Test
    void whenTheLauncherIsGivenACountWhoseClusterIsTooLargeThenItRefusesTheArguments() {
        assertThrows(IllegalArgumentException.class, () -> RedisClusterLauncher.options("3", "2147483647"));
        assertThrows(IllegalArgumentException.class, () -> RedisClusterLauncher.options("3", "4000"));
        RedisClusterLauncher.options("10000", "0"); // the largest that fits
    }
}
