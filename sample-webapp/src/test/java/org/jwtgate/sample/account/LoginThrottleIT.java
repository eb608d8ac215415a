package org.jwtgate.sample.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.sample.redis.SampleRedis;
import org.jwtgate.sample.settings.SampleSettings;
import org.jwtgate.testkit.junit.RedisClusterExtension;

/** The login counters in a real cluster: failures count, and an attempt whose password was never checked does not. */
class LoginThrottleIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static SampleRedis redis;
    private static LoginThrottle throttle;

    @BeforeAll
    static void start() {
        RedisSettings settings = new RedisSettings(RedisNode.parseList(REDIS.cluster().nodesSpec()), "jwtgate:", 500, 3,
                16, null, null, false);
        redis = SampleRedis.connect(settings.nodes(), settings, true);
        throttle = new LoginThrottle(redis, SampleSettings.from(
                ConfigSources.of(Map.of(SampleSettings.LOGIN_MAX_FAILURES, "1"), Map.of())));
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void whenALoginFailsPastTheLimitThenTheNextIsRefused() {
        LoginThrottle.Attempt failed = throttle.begin("carol", "127.0.0.21");
        assertTrue(failed.refusedFor().isEmpty());
        assertTrue(throttle.begin("carol", "127.0.0.22").refusedFor().isPresent(), "one failure allowed per account");
    }

    /**
     * A login answered 503 (the password hasher saturated: {@code PasswordHasher.BusyException}) never had its password
     * checked. Before, its count stayed: a user retrying as the 503's Retry-After said met 429 for 15 minutes, with
     * the right password (a configuration probe on the running sample: 16 logins of unknown users holding every
     * hashing slot, then alice's 503, then her retry 429).
     */
    @Test
    void whenAnAttemptIsUnansweredThenItIsNoFailure() {
        for (int retry = 0; retry < 3; retry++) {
            LoginThrottle.Attempt attempt = throttle.begin("alice", "127.0.0.31");
            assertFalse(attempt.refusedFor().isPresent(), "retry " + retry + " refused");
            throttle.unanswered(attempt);
        }
        LoginThrottle.Attempt answered = throttle.begin("alice", "127.0.0.31");
        assertTrue(answered.refusedFor().isEmpty());
        throttle.succeeded(answered);
    }
}
