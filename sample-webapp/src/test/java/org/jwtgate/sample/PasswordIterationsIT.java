package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.sample.settings.SampleSettings;
import org.jwtgate.testkit.junit.RedisClusterExtension;

/**
 * The sample restarted with a higher {@code SAMPLE_PBKDF2_ITERATIONS}, as docs/sample.md allows: the stored records
 * keep the count they were made with, and the login must still not tell an existing user from an unknown one by time.
 */
class PasswordIterationsIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void whenTheIterationCountWasRaisedThenAWrongPasswordForAnOlderRecordTakesAsLongAsAnUnknownUser() throws Exception {
        RunningSample.start(REDIS.cluster()).close(); // seeds alice at the default 600,000 iterations
        int raised = 3 * SampleSettings.MIN_PBKDF2_ITERATIONS;
        try (RunningSample app = RunningSample.start(REDIS.cluster(),
                Map.of(SampleSettings.PBKDF2_ITERATIONS, Integer.toString(raised)))) {
            SampleClient http = app.client();
            long wrongPassword = Long.MAX_VALUE;
            long unknownUser = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) { // each attempt from its own address, so no counter reaches its limit
                long start = System.nanoTime();
                assertEquals(401, http.postFrom("127.0.0." + (200 + i), "/login",
                        "{\"username\":\"alice\",\"password\":\"x\"}").status());
                wrongPassword = Math.min(wrongPassword, System.nanoTime() - start);
                start = System.nanoTime();
                assertEquals(401, http.postFrom("127.0.0." + (210 + i), "/login",
                        "{\"username\":\"nobody" + i + "\",\"password\":\"x\"}").status());
                unknownUser = Math.min(unknownUser, System.nanoTime() - start);
            }
            // Unpadded, alice's record costs a third of the unknown user's dummy check: a gap anyone can measure.
            assertTrue(wrongPassword * 2 > unknownUser, "wrong password " + wrongPassword / 1_000_000
                    + " ms vs unknown " + unknownUser / 1_000_000 + " ms");
            assertEquals(200, http.login("alice", "wonderland").status(), "the older record still signs alice in");
        }
    }
}
