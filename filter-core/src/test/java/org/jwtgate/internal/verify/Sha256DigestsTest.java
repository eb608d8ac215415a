package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class Sha256DigestsTest {

    private static byte[] expected(byte[] input) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(input);
    }

    @Test
    void whenHashingThenTheResultIsTheSha256OfTheInput() throws Exception {
        byte[] input = "eyJhbGciOiJIUzI1NiJ9.e30.sig".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(expected(input), Sha256Digests.digest(input));
        assertArrayEquals(expected(input), Sha256Digests.digest(input), "a digest put back is reset");
        assertArrayEquals(expected(new byte[0]), Sha256Digests.digest(new byte[0]));
        assertArrayEquals(expected(input), Sha256Digests.lent(input));
        assertArrayEquals(expected(input), Sha256Digests.lent(input), "a digest lent again is reset");
    }

    /** A pooled platform thread keeps its digest: lending costs more when two request threads hash at once. */
    @Test
    void whenPlatformThreadsHashThenNoDigestIsLent() throws Exception {
        Sha256Digests.takeLendable(); // what other tests lent
        for (int i = 0; i < Sha256Digests.SLOTS; i++) { // consecutive thread ids: every slot
            Thread thread = new Thread(() -> Sha256Digests.digest(new byte[] {1}));
            thread.start();
            thread.join();
        }
        assertEquals(0, Sha256Digests.takeLendable());
    }

    @Test
    void whenMoreThreadsThanSlotsHashAtOnceThenEachGetsItsOwnInputsHash() throws Exception {
        int threads = Sha256Digests.SLOTS * 2; // threads meet on slots, so borrowing and putting back are raced
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                wrong.add(pool.submit(() -> {
                    start.await();
                    int mismatches = 0;
                    for (int i = 0; i < 2_000; i++) {
                        byte[] input = ("token-" + thread + "-" + i).getBytes(StandardCharsets.US_ASCII);
                        if (!MessageDigest.isEqual(expected(input), Sha256Digests.lent(input))) {
                            mismatches++;
                        }
                    }
                    return mismatches;
                }));
            }
            start.countDown();
            int mismatches = 0;
            for (Future<Integer> result : wrong) {
                mismatches += result.get();
            }
            assertEquals(0, mismatches);
        } finally {
            pool.shutdownNow();
        }
    }
}
