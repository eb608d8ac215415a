package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BloomFilterTest {

    @Test
    void whenKeysAddedThenEveryOneIsFoundAndFewOthersAre() {
        int entries = 20_000;
        BloomFilter bloom = new BloomFilter(BloomFilter.bitsFor(entries, 16, 1L << 27));
        for (int i = 0; i < entries; i++) {
            bloom.add("jwtgate:{user-" + i + "}:jti:https://issuer:" + i);
        }
        for (int i = 0; i < entries; i++) {
            assertTrue(bloom.mightContain("jwtgate:{user-" + i + "}:jti:https://issuer:" + i), "no false negative");
        }
        int falsePositives = 0;
        int probes = 200_000;
        for (int i = 0; i < probes; i++) {
            if (bloom.mightContain("jwtgate:{other-" + i + "}:jti:https://issuer:" + i)) {
                falsePositives++;
            }
        }
        // 16+ bits per entry, 6 probes: about 0.1 %; allow a wide margin.
        assertTrue(falsePositives < probes / 200, falsePositives + " false positives of " + probes);
    }

    @Test
    void whenKeysAreAddedThenTheEstimateFollowsThemAndAKeyAddedAgainCountsOnce() {
        BloomFilter bloom = new BloomFilter(BloomFilter.bitsFor(10_000, 16, 1L << 27));
        assertEquals(0, Math.round(bloom.estimatedKeys()));
        bloom.add("only");
        bloom.add("only");
        assertEquals(1, Math.round(bloom.estimatedKeys()));
        for (int keys : new int[] {10_000, 50_000, 100_000}) {
            for (int i = 0; i < keys; i++) {
                bloom.add("key-" + i);
            }
            double estimate = bloom.estimatedKeys() - 1;
            assertTrue(Math.abs(estimate - keys) < keys * 0.05, estimate + " estimated for " + keys);
        }
    }

    @Test
    void whenSizedThenPowerOfTwoWithinBounds() {
        assertEquals(1024, BloomFilter.bitsFor(1, 16, 1L << 27));
        assertEquals(2_097_152, BloomFilter.bitsFor(100_000, 16, 1L << 27));
        assertEquals(1L << 27, BloomFilter.bitsFor(50_000_000, 16, 1L << 27));
        assertThrows(IllegalArgumentException.class, () -> new BloomFilter(1000));
    }
}
