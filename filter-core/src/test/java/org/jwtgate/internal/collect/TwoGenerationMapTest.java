package org.jwtgate.internal.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TwoGenerationMapTest {

    @Test
    void whenManyMoreEntriesThanTheBoundThenAtMostTwoGenerationsAreHeld() {
        TwoGenerationMap<Integer, String> map = new TwoGenerationMap<>(4);
        for (int i = 0; i < 100; i++) {
            map.put(i, "v" + i);
            assertTrue(map.size() <= 8, "size " + map.size() + " after " + (i + 1) + " puts");
        }
        assertEquals("v99", map.get(99));
        assertNull(map.get(0), "the oldest entries were dropped with their generation");
    }

    @Test
    void whenAnOldEntryIsReadThenItMovesToTheYoungGenerationAndOutlivesTheNextRotation() {
        TwoGenerationMap<String, String> map = new TwoGenerationMap<>(2);
        map.put("a", "A");
        map.put("b", "B");
        map.put("c", "C"); // young {a, b} became old; young {c}
        assertEquals("A", map.get("a")); // moved to young {c, a}
        map.put("d", "D"); // young full: old {c, a}, young {d}; b dropped
        map.put("e", "E"); // young {d, e}
        assertEquals("A", map.get("a"), "a was used, so it lived on");
        assertNull(map.get("b"), "b was not used, so it went with its generation");
    }

    @Test
    void whenRemovedThenGoneFromBothGenerations() {
        TwoGenerationMap<String, String> map = new TwoGenerationMap<>(1);
        map.put("a", "A");
        map.put("b", "B"); // a in the old generation
        map.remove("a");
        map.remove("b");
        assertNull(map.get("a"));
        assertNull(map.get("b"));
        assertEquals(0, map.size());
    }

    @Test
    void whenThreadsPutAndReadAtOnceThenTheBoundHolds() throws Exception {
        TwoGenerationMap<Integer, Integer> map = new TwoGenerationMap<>(64);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 100_000;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        map.put(base + i, i);
                        map.get(base + i / 2);
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // A thread between its size check and its put may still add one entry to a generation that filled (or
        // was just retired) meanwhile: a generation holds at most 64 + threads, the map twice that; never more.
        assertTrue(map.size() <= 2 * (64 + 4), "size " + map.size());
    }

    @Test
    void whenGenerationSizeBelowOneThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TwoGenerationMap<>(0));
    }
}
