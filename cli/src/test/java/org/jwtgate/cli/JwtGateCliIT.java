package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.testkit.process.ServerProcesses;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The shaded CLI jar run as a real process ({@code java -jar}) against a real 3+3 Redis Cluster,
 * configured through {@code JWTGATE_*} variables the way an operator would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JwtGateCliIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final CliJar CLI = CliJar.locate();

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("JWTGATE_JWT_SECRET", TestTokens.SECRET);
        env.put("JWTGATE_JWT_ISSUER", TestTokens.ISSUER);
        env.put("JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE);
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put("JWTGATE_REVOCATION_REPLICA_TIMEOUT_MS", "2000"); // "durable" must not hang on a slow CI disk
        return env;
    }

    @Test
    @Order(1)
    void whenTokenRevokedFromStdinThenStatusSaysRevokedAndOtherTokensStayValid() {
        String token = TestTokens.hs256("carol", "admin");
        String sibling = TestTokens.hs256("carol");

        CliJar.Result revoke = CLI.runWithStdin(env(), token + "\n", "revoke-token", "-");
        assertEquals(0, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.out().startsWith("Revoked token jti=") && revoke.out().contains("sub=carol"), revoke.out());
        assertTrue(revoke.out().contains("durable (1 of 1 required replicas confirmed)"), revoke.out());
        assertFalse(revoke.out().contains(token) || revoke.err().contains(token), "the token is never echoed");

        CliJar.Result status = CLI.run(env(), "status", token);
        assertEquals(5, status.exitCode(), status.toString());
        assertTrue(status.out().startsWith("revoked: REVOKED (revoked) sub=carol"), status.out());
        // The near-cache's mode follows the rig's server: sharded pub/sub on Redis 7+, classic on the embedded 6.2.
        String mode = REDIS.cluster().binary().majorVersion() >= 7 ? "sharded" : "classic";
        assertTrue(status.out().lines().anyMatch(line -> line.startsWith("near-cache: " + mode + " pub/sub")), status.out());

        CliJar.Result other = CLI.run(env(), "status", sibling);
        assertEquals(0, other.exitCode(), other.toString());
        assertTrue(other.out().startsWith("valid: sub=carol"), other.out());
        assertEquals(StatusCommand.pubSubLine(mode, true), other.out().lines().reduce((first, last) -> last).orElseThrow(),
                other.out());
    }

    @Test
    @Order(1)
    void whenStandardInputHoldsTwoTokensThenRevokeTokenRevokesNeither() {
        // Before: the first was revoked (exit 0, "Revoked token …") and the second stayed valid without a word.
        String first = TestTokens.hs256("erin");
        String second = TestTokens.hs256("frank");

        CliJar.Result revoke = CLI.runWithStdin(env(), first + "\n" + second + "\n", "revoke-token", "-");

        assertEquals(2, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.err().contains("more than one line"), revoke.err());
        for (String token : new String[] {first, second}) {
            CliJar.Result status = CLI.run(env(), "status", token);
            assertEquals(0, status.exitCode(), "nothing was revoked: " + status);
        }
    }

    @Test
    @Order(2)
    void whenTokenRevokedByIdentityThenThatTokenIsRevoked() {
        JwtClaims claims = TestTokens.claims("dave");
        String token = TestTokens.hs256(claims);
        String jti = claims.getClaimValueAsString("jti");
        String exp = claims.getClaimValueAsString("exp");

        CliJar.Result revoke = CLI.run(env(), "revoke-token", "--jti", jti, "--sub", "dave", "--exp", exp);
        assertEquals(0, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.out().contains("jti=" + jti + " sub=dave iss=" + TestTokens.ISSUER), revoke.out());

        CliJar.Result status = CLI.run(env(), "status", token);
        assertEquals(5, status.exitCode(), status.toString());
        assertTrue(status.out().startsWith("revoked:"), status.out());
    }

    @Test
    @Order(2)
    void whenTheJtiToRevokeHasSurroundingSpacesThenRefusedAndTheTokenStaysAsItWas() {
        // A jti copied from a log line with its trailing space names another key: "Revoked" would be false.
        JwtClaims claims = TestTokens.claims("dora");
        String token = TestTokens.hs256(claims);
        String jti = claims.getClaimValueAsString("jti");
        String exp = claims.getClaimValueAsString("exp");

        CliJar.Result revoke = CLI.run(env(), "revoke-token", "--jti", jti + " ", "--sub", "dora", "--exp", exp);
        assertEquals(2, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.err().startsWith("jwtgate: The token id --jti [" + jti + "\\u0020] has surrounding spaces"), revoke.err());
        assertEquals("", revoke.out());
        assertEquals(0, CLI.run(env(), "status", token).exitCode(), "nothing was revoked");
    }

    @Test
    @Order(2)
    void whenRevokedByIdentityExpiredWithinTwiceTheSkewThenStillRevokedAndLaterNot() {
        // Skew 30 s: a server whose clock lags this one by 30 s accepts the token until exp + 60 s here.
        long now = System.currentTimeMillis() / 1000;
        CliJar.Result recent = CLI.run(env(), "revoke-token", "--jti", "j-recent", "--sub", "dave", "--exp",
                Long.toString(now - 45));
        assertEquals(0, recent.exitCode(), recent.toString());
        assertTrue(recent.out().startsWith("Revoked token jti=j-recent sub=dave"), recent.out());
        // Not "refused until <exp>", a time already past: expired, and why it is stored all the same.
        assertTrue(recent.out().contains("(already expired at " + Instant.ofEpochSecond(now - 45) + ", but a server whose"
                + " clock lags by [jwt.clock-skew-seconds]=30 s may accept it until " + Instant.ofEpochSecond(now + 15)
                + " by this clock: refused by the entry stored until then): durable"), recent.out());

        CliJar.Result old = CLI.run(env(), "revoke-token", "--jti", "j-old", "--sub", "dave", "--exp",
                Long.toString(now - 75));
        assertEquals(0, old.exitCode(), old.toString());
        assertTrue(old.out().startsWith("Not revoked: the token has already expired"), old.out());
    }

    @Test
    @Order(2)
    void whenTokenGivenWholeExpiredWithinTwiceTheSkewThenStillRevokedAndLaterNot() {
        // As by identity: a server whose clock lags this one by the 30 s skew accepts it until exp + 60 s here.
        JwtClaims recentClaims = TestTokens.claims("dave");
        recentClaims.setIssuedAt(TestTokens.secondsFromNow(-600));
        recentClaims.setExpirationTime(TestTokens.secondsFromNow(-45));
        CliJar.Result recent = CLI.runWithStdin(env(), TestTokens.hs256(recentClaims) + "\n", "revoke-token", "-");
        assertEquals(0, recent.exitCode(), recent.toString());
        assertTrue(recent.out().startsWith("Revoked token jti=" + recentClaims.getClaimValueAsString("jti") + " sub=dave"),
                recent.out());
        assertTrue(recent.out().contains("(already expired at ") && !recent.out().contains("refused until"), recent.out());
        assertFalse(recent.err().contains("WARN"), recent.err());

        JwtClaims oldClaims = TestTokens.claims("dave");
        oldClaims.setIssuedAt(TestTokens.secondsFromNow(-600));
        oldClaims.setExpirationTime(TestTokens.secondsFromNow(-75));
        CliJar.Result old = CLI.runWithStdin(env(), TestTokens.hs256(oldClaims) + "\n", "revoke-token", "-");
        assertEquals(0, old.exitCode(), old.toString());
        assertTrue(old.out().startsWith("Not revoked: the token has already expired"), old.out());
    }

    @Test
    @Order(2)
    void whenTheSkewIsAbove150sAndTheTokenExpiredBeyondWhatTheCliCanVerifyThenRefusedPointingToRevokeByIdentity() {
        // Skew 300 s: a lagging server accepts the token until exp + 600 s here, but the CLI can verify it only up to
        // exp + 300 s (the setting's maximum). One that expired 400 s ago is not "refused anyway": --exp revokes it.
        Map<String, String> env = env();
        env.put("JWTGATE_JWT_CLOCK_SKEW_SECONDS", "300");
        CliJar.Result revoke = revokeTokenExpired(env, 400);
        assertEquals(2, revoke.exitCode(), revoke.toString());
        assertEquals("", revoke.out());
        assertTrue(revoke.err().startsWith("jwtgate: Not revoked: the token expired more than 300 s ago"), revoke.err());
        assertTrue(revoke.err().contains("use --jti, --sub and --exp"), revoke.err());

        JwtClaims recent = TestTokens.claims("dave");
        recent.setIssuedAt(TestTokens.secondsFromNow(-900));
        recent.setExpirationTime(TestTokens.secondsFromNow(-250));
        CliJar.Result revoked = CLI.runWithStdin(env, TestTokens.hs256(recent) + "\n", "revoke-token", "-");
        assertEquals(0, revoked.exitCode(), revoked.toString());
        assertTrue(revoked.out().startsWith("Revoked token jti=" + recent.getClaimValueAsString("jti")), revoked.out());
    }

    @Test
    @Order(2)
    void whenTheSkewIsAbove150sAndTheTokenExpiredMoreThanTwiceTheSkewAgoThenAlreadyExpiredExit0AsIn1_0_0() {
        // Skew 200 s: the CLI verifies up to exp + 300 s, a lagging server accepts until exp + 400 s. One that expired an
        // hour ago is past every server: 1.0.0 said "already expired" (exit 0), and a script's exit code must not change.
        Map<String, String> env = env();
        env.put("JWTGATE_JWT_CLOCK_SKEW_SECONDS", "200");
        CliJar.Result pastEveryServer = revokeTokenExpired(env, 3600);
        assertEquals(0, pastEveryServer.exitCode(), pastEveryServer.toString());
        assertTrue(pastEveryServer.out().startsWith("Not revoked: the token has already expired"), pastEveryServer.out());

        // Between exp + 300 s and exp + 400 s a lagging server may still accept it: refused, pointing to --exp, as before.
        CliJar.Result refused = revokeTokenExpired(env, 350);
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("use --jti, --sub and --exp"), refused.err());
    }

    /** {@code revoke-token -} of a token of dave's that expired {@code secondsAgo}, after living ten minutes. */
    private static CliJar.Result revokeTokenExpired(Map<String, String> env, long secondsAgo) {
        JwtClaims claims = TestTokens.claims("dave");
        claims.setIssuedAt(TestTokens.secondsFromNow(-secondsAgo - 600));
        claims.setExpirationTime(TestTokens.secondsFromNow(-secondsAgo));
        return CLI.runWithStdin(env, TestTokens.hs256(claims) + "\n", "revoke-token", "-");
    }

    @Test
    @Order(3)
    void whenUserRevokedThenEarlierTokensRevokedAndLaterOnesValid() throws InterruptedException {
        String before = TestTokens.hs256("erin");
        CliJar.Result revoke = CLI.run(env(), "revoke-user", "erin");
        assertEquals(0, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.out().startsWith("Revoked every token of sub=erin issued up to "), revoke.out());
        assertTrue(revoke.out().contains("durable"), revoke.out());

        assertEquals(5, CLI.run(env(), "status", before).exitCode());
        Thread.sleep(1100); // iat has one-second resolution: a token issued in the revocation's second is refused
        CliJar.Result after = CLI.run(env(), "status", TestTokens.hs256("erin"));
        assertEquals(0, after.exitCode(), after.toString());
    }

    @Test
    @Order(3)
    void whenASubHoldsAnInvisibleCharacterOrATrailingSpaceThenStatusShowsItAndRevokeUserTakesItEscaped() {
        // Before: status printed U+200B raw (invisible) and the space as a separator; revoke-user of what was seen,
        // "mallory", revoked another user (exit 0), and the exact sub was refused as "would not match": no way to revoke.
        // The third is a sub whose text holds a backslash, u and hex digits, which status writes \\u005c; the fourth one
        // whose space made the line read "sub=alice iss=x iss=…", for a script another user's.
        for (String[] sub : new String[][] {{"mallory\u200b", "mallory\\u200b"}, {"bob ", "bob\\u0020"},
                {"CORP\\u0012345", "CORP\\u005cu0012345"}, {"alice iss=x", "alice\\u0020iss=x"}}) {
            String token = TestTokens.hs256(sub[0]);
            CliJar.Result status = CLI.run(env(), "status", token);
            assertEquals(0, status.exitCode(), status.toString());
            assertTrue(status.out().startsWith("valid: sub=" + sub[1] + " iss="), status.out());

            CliJar.Result asPrinted = CLI.run(env(), "revoke-user", sub[1]);
            assertEquals(2, asPrinted.exitCode(), "without --escaped: " + asPrinted);

            CliJar.Result revoke = CLI.run(env(), "revoke-user", "--escaped", sub[1]);
            assertEquals(0, revoke.exitCode(), revoke.toString());
            assertTrue(revoke.out().startsWith("Revoked every token of sub=" + sub[1] + " issued up to "), revoke.out());
            CliJar.Result after = CLI.run(env(), "status", token);
            assertEquals(5, after.exitCode(), after.toString());
            assertTrue(after.out().startsWith("revoked: REVOKED (revoked) sub=" + sub[1] + " "), after.out());
        }
    }

    @Test
    @Order(3)
    void whenRevokeUserIsGivenADashThenRefusedAndNoUserIsRevoked() {
        // `echo alice | revoke-user -`, as for revoke-token -: before, exit 0, "Revoked every token of sub=- …", a user
        // named "-" revoked and alice's tokens still valid.
        String token = TestTokens.hs256("hal");
        CliJar.Result revoke = CLI.runWithStdin(env(), "hal\n", "revoke-user", "-");
        assertEquals(2, revoke.exitCode(), revoke.toString());
        assertEquals("", revoke.out());
        assertTrue(revoke.err().startsWith("jwtgate: revoke-user takes the subject itself"), revoke.err());
        try (Jedis jedis = REDIS.cluster().masterForKey(new RevocationKeys("jwtgate:").userKey("-")).connect()) {
            assertFalse(jedis.exists(new RevocationKeys("jwtgate:").userKey("-")), "no user named - was revoked");
        }
        assertEquals(0, CLI.run(env(), "status", token).exitCode());
    }

    @Test
    @Order(3)
    void whenRevokeUserIsGivenATokenThenRefusedWithoutPrintingItAndTheTokenStaysValid() {
        // The operator meant revoke-token: revoking a "user" named by the token string revokes nothing real.
        String token = TestTokens.hs256("gus");
        // "$(cat token.txt)" of a CRLF file keeps the \r; a header value keeps its scheme.
        for (String given : List.of(token, token + "\r", "Bearer " + token)) {
            CliJar.Result revoke = CLI.run(env(), "revoke-user", given);
            assertEquals(2, revoke.exitCode(), revoke.toString());
            assertTrue(revoke.err().startsWith("jwtgate: The subject looks like a token (not shown); "), revoke.err());
            assertTrue(revoke.err().contains("revoke-token"), revoke.err());
            assertFalse(revoke.out().contains(token.substring(0, 40)) || revoke.err().contains(token.substring(0, 40)),
                    "the token is never printed: " + revoke);
        }
        assertEquals(0, CLI.run(env(), "status", token).exitCode(), "nothing was revoked");
    }

    @Test
    @Order(3)
    void whenRevokedWithActorAndReasonThenOneAuditLineNamesWhatWhoAndWhyButNeverTheToken() {
        String token = TestTokens.hs256("fay");
        CliJar.Result revoke = CLI.runWithStdin(env(), token + "\n", "revoke-token", "-", "--actor", "ops:carol",
                "--reason", "laptop stolen");
        assertEquals(0, revoke.exitCode(), revoke.toString());
        List<String> audit = revoke.err().lines().filter(line -> line.contains("AUDIT revocation")).toList();
        assertEquals(1, audit.size(), revoke.err());
        String line = audit.get(0);
        assertTrue(line.contains("org.jwtgate.audit") && line.contains("kind=token") && line.contains("sub=fay")
                && line.contains("actor=ops:carol") && line.contains("reason=\"laptop stolen\"")
                && line.contains("durable=true") && line.contains("jti="), line);
        assertFalse(revoke.err().contains(token) || revoke.out().contains(token), "the token is never printed");

        CliJar.Result user = CLI.run(env(), "revoke-user", "fay", "--actor", "ops:carol");
        assertEquals(0, user.exitCode(), user.toString());
        assertTrue(user.err().lines().anyMatch(l -> l.contains("AUDIT revocation kind=user sub=fay")
                && l.contains("actor=ops:carol") && !l.contains("reason=")), user.err());
    }

    @Test
    @Order(4)
    void whenTokenOfAnotherIssuerThenNotRevokedExit2() {
        JwtClaims claims = TestTokens.claims("frank");
        claims.setIssuer("https://elsewhere.example");
        CliJar.Result revoke = CLI.run(env(), "revoke-token", TestTokens.hs256(claims));
        assertEquals(2, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.err().startsWith("jwtgate: Not revoked: this configuration does not accept the token (ISSUER_INVALID"),
                revoke.err());
    }

    @Test
    @Order(5)
    void whenSecretGeneratedThenConfWebXmlWithItPassesCheckConfig() {
        CliJar.Result secret = CLI.run(Map.of(), "gen-secret", "--bits", "384");
        assertEquals(0, secret.exitCode(), secret.toString());
        assertTrue(secret.out().matches("base64:[A-Za-z0-9+/]{64}\\s*"), secret.out());
        assertEquals("", secret.err(), "no logging noise from the CLI's binding");

        // The operator's flow: a new secret into the variable conf/web.xml refers to, then validate.
        CliJar.Result check = CLI.run(Map.of("APP_JWT_SECRET", secret.out().strip()), "check-config", "../conf/web.xml");
        assertEquals(0, check.exitCode(), check.toString());
        assertTrue(check.out().contains("filter [jwtgate] of [../conf/web.xml] is valid"), check.out());
        assertFalse(check.out().contains(secret.out().strip().substring(7)), "the secret is masked");

        Map<String, String> env = env();
        env.put("JWTGATE_JWT_SECRET", secret.out().strip());
        env.put("JWTGATE_JWT_ALGORITHMS", "HS384");
        CliJar.Result status = CLI.run(env, "status", TestTokens.hs256("gina"));
        assertEquals(5, status.exitCode(), "a HS256 token under an HS384-only key is refused: " + status);
        assertTrue(status.out().startsWith("invalid: ALGORITHM_NOT_ALLOWED"), status.out());
    }

    @Test
    @Order(6)
    void whenStoreUnreachableThenExit3WithOneLine() throws Exception {
        int closedPort = ServerProcesses.freeLoopbackPort(); // nothing listens there
        Map<String, String> env = env();
        env.put("JWTGATE_REDIS_NODES", "127.0.0.1:" + closedPort);
        CliJar.Result revoke = CLI.run(env, "revoke-user", "hank");
        assertEquals(3, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.err().lines().anyMatch(l -> l.startsWith("jwtgate: unreachable: ")), revoke.err());
        assertFalse(revoke.err().contains("\tat "), "no stack trace without --verbose: " + revoke.err());

        CliJar.Result status = CLI.run(env, "status", TestTokens.hs256("hank"));
        assertEquals(3, status.exitCode(), "cannot tell whether revoked: " + status);

        CliJar.Result verbose = CLI.run(env, "--verbose", "revoke-user", "hank");
        assertEquals(3, verbose.exitCode());
        assertTrue(verbose.err().contains("\tat org.jwtgate."), verbose.err());

        // What cannot be a token is refused before the store is contacted: its refusal is the only line.
        for (String garbage : List.of("not-a-token", "a.b", "a.b.c d")) {
            CliJar.Result refused = CLI.run(env, "revoke-token", garbage);
            assertEquals(2, refused.exitCode(), refused.toString());
            assertEquals("jwtgate: Not revoked: this configuration does not accept the token (MALFORMED: not a compact JWS"
                    + " (three base64url segments) of a JSON header and claims set); to revoke it anyway, use --jti, --sub and"
                    + " --exp\n", refused.err());
        }
    }

    /** Before: exit 3, "unreachable", which a script retries for good; Redis answered, the configuration is wrong. */
    @Test
    @Order(6)
    void whenTheStoreNamesAnotherKindOfServerThenExit2NotUnreachable(@TempDir Path dir) throws Exception {
        // A cluster node as revocation.store=redis: it redirects a user whose key another master holds.
        RedisCluster.Node node = REDIS.cluster().masters().get(0);
        String subject = "kim";
        for (int n = 0; REDIS.cluster().masterForKey(new RevocationKeys("jwtgate:").userKey(subject)).port() == node.port(); n++) {
            subject = "kim" + n;
        }
        Map<String, String> single = env();
        single.put("JWTGATE_REVOCATION_STORE", "redis");
        single.put("JWTGATE_REDIS_NODES", node.hostAndPort().toString());
        CliJar.Result redirected = CLI.run(single, "revoke-user", subject);
        assertEquals(2, redirected.exitCode(), redirected.toString());
        assertTrue(redirected.err().lines().anyMatch(line -> line.startsWith("jwtgate: Redis answered, but is not the kind"
                + " of server revocation.store names: ")), redirected.err());
        assertTrue(redirected.err().contains("use revocation.store=redis-cluster"), redirected.err());

        // A server without cluster mode as revocation.store=redis-cluster.
        int port = ServerProcesses.freeLoopbackPort();
        Process server = startServer(dir, port);
        try {
            Map<String, String> cluster = env();
            cluster.put("JWTGATE_REDIS_NODES", RedisCluster.HOST + ":" + port);
            CliJar.Result standalone = CLI.run(cluster, "revoke-user", "kim");
            assertEquals(2, standalone.exitCode(), standalone.toString());
            assertTrue(standalone.err().lines().anyMatch(line -> line.startsWith("jwtgate: Redis answered, but is not the"
                    + " kind of server revocation.store names: ")), standalone.err());
            assertTrue(standalone.err().contains("cluster support disabled"), standalone.err());

            // Its replica as revocation.store=redis: every write answered READONLY. Still exit 3 (a failover may be
            // under way behind an endpoint that follows the master), but saying so: before, Redis's words alone.
            int replicaPort = ServerProcesses.freeLoopbackPort();
            Process replica = startServer(Files.createDirectories(dir.resolve("replica")), replicaPort, "--replicaof",
                    RedisCluster.HOST, String.valueOf(port));
            try {
                Map<String, String> toReplica = env();
                toReplica.put("JWTGATE_REVOCATION_STORE", "redis");
                toReplica.put("JWTGATE_REDIS_NODES", RedisCluster.HOST + ":" + replicaPort);
                CliJar.Result readOnly = CLI.run(toReplica, "revoke-user", "kim");
                assertEquals(3, readOnly.exitCode(), readOnly.toString());
                assertTrue(readOnly.err().lines().anyMatch(line -> line.startsWith("jwtgate: unreachable: Redis answered as"
                        + " a read-only replica: redis.nodes must name the master (or a failover is under way): ")),
                        readOnly.err());
            } finally {
                ServerProcesses.stop(replica, Duration.ofSeconds(10));
            }
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(10));
        }
    }

    /** A redis-server without cluster mode on {@code port}, answering PING (or 20 s gone). */
    private static Process startServer(Path dir, int port, String... more) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(REDIS.cluster().binary().path().toString(), "--port",
                String.valueOf(port), "--bind", RedisCluster.HOST, "--save", "", "--appendonly", "no", "--dir",
                dir.toString()));
        command.addAll(List.of(more));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        Instant deadline = Instant.now().plusSeconds(20);
        while (!answers(port) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        return server;
    }

    private static boolean answers(int port) {
        try (Jedis jedis = new Jedis(RedisCluster.HOST, port)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    @Order(6)
    void whenRedisRefusesThePasswordOrThePermissionThenExit2NamingTheSettingsNotTheSecret() {
        // Before: exit 3 and "jwtgate: unreachable: … WRONGPASS …": a script retried a configuration error forever.
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(Protocol.Command.ACL, "SETUSER", "cli-admin", "on", ">cli-admin-secret", "~*", "&*", "+@all");
                jedis.sendCommand(Protocol.Command.ACL, "SETUSER", "cli-reader", "on", ">cli-reader-secret", "~*", "&*",
                        "+@all", "-@write", "-@scripting");
            }
        }
        Map<String, String> wrongPassword = env();
        wrongPassword.put("JWTGATE_REDIS_USER", "cli-admin");
        wrongPassword.put("JWTGATE_REDIS_PASSWORD", "not-the-password");
        Map<String, String> tooFewRights = env();
        tooFewRights.put("JWTGATE_REDIS_USER", "cli-reader");
        tooFewRights.put("JWTGATE_REDIS_PASSWORD", "cli-reader-secret");
        String prefix = "jwtgate: Redis refused the credentials or the permissions of redis.user / redis.password"
                + " (see the ACL in docs/revocation.md): ";
        for (Map<String, String> env : List.of(wrongPassword, tooFewRights)) {
            String answer = env == wrongPassword ? "WRONGPASS" : "NOPERM";
            CliJar.Result revoke = CLI.run(env, "revoke-user", "ivan");
            assertEquals(2, revoke.exitCode(), revoke.toString());
            assertTrue(revoke.err().lines().anyMatch(l -> l.startsWith(prefix) && l.contains(answer)), revoke.err());
            assertFalse(revoke.err().contains(env.get("JWTGATE_REDIS_PASSWORD")), "the password is never printed");

            CliJar.Result status = CLI.run(env, "status", TestTokens.hs256("ivan"));
            assertEquals(answer.equals("WRONGPASS") ? 2 : 0, status.exitCode(), status.toString());
        }
        Map<String, String> rightPassword = env();
        rightPassword.put("JWTGATE_REDIS_USER", "cli-admin");
        rightPassword.put("JWTGATE_REDIS_PASSWORD", "cli-admin-secret");
        assertEquals(0, CLI.run(rightPassword, "status", TestTokens.hs256("ivan")).exitCode(), "the rig's ACL works");
    }

    /**
     * Users whose revocation Redis refuses inside a script, which it answers with a plain ERR ("The user executing the
     * script can't …"), not NOPERM: one that may read and run scripts but not write ({@code -@write}: the revocation
     * script's {@code SET}), and one without the events channel (no {@code &} pattern: on Redis 6 the announcement is a
     * script running {@code PUBLISH}; on Redis 7 {@code SPUBLISH} gets NOPERM). Redis answered: exit 2, as for NOPERM,
     * not 3 ("unreachable", retry later).
     */
    @Test
    @Order(6)
    void whenRedisRefusesTheRevocationInsideItsScriptThenExit2NamingTheRefusal() {
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(Protocol.Command.ACL, "SETUSER", "cli-script-reader", "on", ">cli-script-reader-secret",
                        "~*", "&*", "+@all", "-@write");
                jedis.sendCommand(Protocol.Command.ACL, "SETUSER", "cli-no-channel", "on", ">cli-no-channel-secret",
                        "~*", "resetchannels", "+@all");
            }
        }
        String prefix = "jwtgate: Redis refused the credentials or the permissions of redis.user / redis.password"
                + " (see the ACL in docs/revocation.md): ";
        for (String user : List.of("cli-script-reader", "cli-no-channel")) {
            Map<String, String> env = env();
            env.put("JWTGATE_REDIS_USER", user);
            env.put("JWTGATE_REDIS_PASSWORD", user + "-secret");
            String refusal = user.equals("cli-script-reader") ? "can't run this command" : "channel";
            for (String[] command : List.of(new String[] {"revoke-user", "ivy"},
                    new String[] {"revoke-token", "--jti", "j-" + user, "--sub", "ivy",
                            "--exp", String.valueOf(TestTokens.secondsFromNow(600).getValue())})) {
                CliJar.Result revoke = CLI.run(env, command);
                assertEquals(2, revoke.exitCode(), revoke.toString());
                assertTrue(revoke.err().lines().anyMatch(l -> l.startsWith(prefix) && l.contains(refusal)), revoke.err());
                assertFalse(revoke.err().contains(user + "-secret"), "the password is never printed");
            }
        }
    }

    /**
     * A user that may write but not send {@code WAIT} (revocation.min-replicas defaults to 1 on a cluster): the
     * revocation is written, and in force, before Redis refuses the WAIT. Exit 2, as for any refusal, and the message
     * must say that it is in force, not only that the revocation "failed".
     */
    @Test
    @Order(6)
    void whenRedisRefusesTheWaitAfterTheWriteThenExit2SayingTheRevocationIsInForce() {
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(Protocol.Command.ACL, "SETUSER", "cli-no-wait", "on", ">cli-no-wait-secret", "~*", "&*",
                        "+@all", "-wait");
            }
        }
        String token = TestTokens.hs256("ivo");
        Map<String, String> env = env();
        env.put("JWTGATE_REDIS_USER", "cli-no-wait");
        env.put("JWTGATE_REDIS_PASSWORD", "cli-no-wait-secret");
        CliJar.Result revoke = CLI.run(env, "revoke-user", "ivo");
        assertEquals(2, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.err().lines().anyMatch(l -> l.startsWith("jwtgate: Redis refused the credentials or the permissions"
                + " of redis.user / redis.password") && l.contains("'wait'") && l.contains("in force")), revoke.err());
        assertFalse(revoke.err().contains("cli-no-wait-secret"), "the password is never printed");
        // Audited as stored but unconfirmed, as a revocation no replica confirmed is: not as one that failed.
        assertTrue(revoke.err().lines().anyMatch(l -> l.contains("AUDIT revocation kind=user sub=ivo")
                && l.contains(" durable=false replicas=0/1 wait=refused ")), revoke.err());
        assertFalse(revoke.err().contains("revocation-failed"), revoke.err());
        assertEquals(5, CLI.run(env(), "status", token).exitCode(), "the revocation is in force");
    }

    /**
     * Users that may read and write the revocation keys but whose near-cache Redis refuses: the documented ACL without
     * the subscription's command ({@code +ssubscribe}, {@code +subscribe} on Redis 6), or without its heartbeat's
     * ({@code +exists}: the subscription is made, then its first heartbeat refused). The verdict stands (every check
     * reads Redis) with its exit code, and the near-cache line says the subscription is refused, naming NOPERM. Before,
     * it said "not subscribed within 3 s (mode unknown)", and "sharded pub/sub" for the second user.
     */
    @Test
    @Order(6)
    void whenRedisRefusesTheNearCachesSubscriptionThenStatusSaysSoNamingNoperm() {
        boolean sharded = REDIS.cluster().binary().majorVersion() >= 7;
        String publish = sharded ? "+spublish" : "+publish";
        String subscribe = sharded ? "+ssubscribe" : "+subscribe";
        String rights = "~jwtgate:* resetchannels &jwtgate:* -@all +mget +get +set +del +eval +pttl +pexpire +wait +ping"
                + " +asking +cluster|slots +client|setname +scan +cluster|nodes " + publish;
        Map<String, String> refusedCommand = Map.of("cli-no-subscribe", "+exists", "cli-no-heartbeat", subscribe);
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                refusedCommand.forEach((user, allowed) -> jedis.sendCommand(Protocol.Command.ACL, ("SETUSER " + user
                        + " reset on >" + user + "-secret " + rights + " " + allowed).split(" ")));
            }
        }
        for (String user : List.of("cli-no-subscribe", "cli-no-heartbeat")) {
            Map<String, String> env = env();
            env.put("JWTGATE_REDIS_USER", user);
            env.put("JWTGATE_REDIS_PASSWORD", user + "-secret");
            String refused = user.equals("cli-no-subscribe") ? (sharded ? "'ssubscribe'" : "'subscribe'") : "'exists'";
            String token = TestTokens.hs256("iris-" + user);

            CliJar.Result valid = CLI.run(env, "status", token);
            assertEquals(0, valid.exitCode(), "the token is valid, as the check read Redis: " + valid);
            String nearCache = valid.out().lines().reduce((first, last) -> last).orElseThrow();
            assertTrue(nearCache.startsWith("near-cache: subscription refused by Redis (NOPERM ")
                    && nearCache.contains(refused), valid.toString());
            assertFalse(valid.toString().contains(user + "-secret"), "the password is never printed");

            assertEquals(0, CLI.run(env(), "revoke-user", "iris-" + user).exitCode());
            CliJar.Result revoked = CLI.run(env, "status", token);
            assertEquals(5, revoked.exitCode(), "the revocation is read from Redis: " + revoked);
            assertTrue(revoked.out().startsWith("revoked: REVOKED"), revoked.out());
            assertEquals(nearCache, revoked.out().lines().reduce((first, last) -> last).orElseThrow(), revoked.out());
        }
    }

    @Test
    @Order(6)
    void whenPasswordGivenToARedisThatHasNoneThenExit2NamingTheSettingsNotTheSecret() {
        // redis.password without redis.user against nodes whose default user needs none: Redis answers
        // "ERR AUTH <password> called without any password configured …", a configuration error like WRONGPASS.
        Map<String, String> env = env();
        env.put("JWTGATE_REDIS_PASSWORD", "a-password-the-nodes-do-not-have");
        CliJar.Result revoke = CLI.run(env, "revoke-user", "ivan");
        assertEquals(2, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.err().lines().anyMatch(l -> l.startsWith("jwtgate: Redis refused the credentials or the permissions"
                + " of redis.user / redis.password")), revoke.err());
        assertFalse(revoke.err().contains(env.get("JWTGATE_REDIS_PASSWORD")), "the password is never printed");
        CliJar.Result status = CLI.run(env, "status", TestTokens.hs256("ivan"));
        assertEquals(2, status.exitCode(), status.toString());
    }

    @Test
    @Order(7)
    void whenReplicaDoesNotConfirmThenRevocationReportedNotDurableExit4() {
        RedisCluster cluster = REDIS.cluster();
        String subject = "ivan";
        RedisCluster.Node master = cluster.masterForKey(new RevocationKeys("jwtgate:").userKey(subject));
        RedisCluster.Node replica = cluster.replicaOf(master);
        replica.pause();
        // A paused replica confirms nothing, however long the CLI waits: 500 ms, not the rig's 2 s, ends the wait.
        Map<String, String> env = env();
        env.put("JWTGATE_REVOCATION_REPLICA_TIMEOUT_MS", "500");
        try {
            CliJar.Result revoke = CLI.run(env, "revoke-user", subject);
            assertEquals(4, revoke.exitCode(), revoke.toString());
            assertTrue(revoke.err().contains("NOT durable: 0 of 1 required replicas confirmed")
                    && revoke.err().contains("Run the same command again"), revoke.err());
            // A repeated revoke-user is no repeat of the write (revocation.md): it takes a new instant.
            assertFalse(revoke.err().contains("idempotent"), revoke.err());
            assertTrue(revoke.err().contains("also refuses the tokens of sub=ivan issued since"), revoke.err());
        } finally {
            replica.resume();
            cluster.awaitClusterOk(Duration.ofSeconds(30));
        }
        // The write was in force all along, and once the replica is back the retry is durable.
        assertEquals(5, CLI.run(env(), "status", TestTokens.hs256(backdated(subject))).exitCode());
        CliJar.Result retry = CLI.run(env(), "revoke-user", subject);
        assertEquals(0, retry.exitCode(), retry.toString());
    }

    /**
     * {@code revocation.min-replicas} above the replicas every master has (2; the rig has 1 per master): exit 4 as for
     * any revocation short of replicas, but stderr says no run of the command confirms it, naming the setting and both
     * numbers. Before, it said only "Run the same command again", which failed the same way forever.
     */
    @Test
    @Order(8)
    void whenMinReplicasExceedsTheMastersReplicasThenExit4SaysNoRetryHelps() {
        Map<String, String> env = env();
        env.put("JWTGATE_REVOCATION_MIN_REPLICAS", "2");
        env.put("JWTGATE_REVOCATION_REPLICA_TIMEOUT_MS", "200");
        CliJar.Result revoke = CLI.run(env, "revoke-user", "judy");
        assertEquals(4, revoke.exitCode(), revoke.toString());
        String last = revoke.err().lines().reduce((first, line) -> line).orElse("");
        assertTrue(last.contains("NOT durable: 1 of 2 required replicas confirmed")
                && last.contains("unless the warning above says its master has fewer replicas than revocation.min-replicas=2"),
                revoke.err());
        assertTrue(revoke.err().contains("has 1 replica, fewer than revocation.min-replicas=2: no retry confirms it"),
                revoke.err());
    }

    /**
     * {@code revoke-user} given a leaked token as it was pasted from a mail or a ticket, with a space where the line
     * was wrapped (the operator meant revoke-token): refused as a token, exit 2, without printing it (operations.md).
     * It once revoked a user named by the token text (exit 0) and printed it.
     */
    @Test
    void whenRevokeUserIsGivenATokenWrappedWithASpaceThenRefusedAsATokenWithoutPrintingIt() {
        String token = TestTokens.hs256("hal");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String pasted = token.substring(0, 76) + " " + token.substring(76);

        CliJar.Result revoke = CLI.run(env(), "revoke-user", "--", pasted);

        CliJar.Result status = CLI.run(env(), "status", token);
        assertAll(
                () -> assertEquals(2, revoke.exitCode(), revoke.toString()),
                () -> assertTrue(revoke.err().contains("looks like a token"), revoke.toString()),
                () -> assertFalse(revoke.out().contains(signature) || revoke.err().contains(signature),
                        "the token is printed: " + revoke),
                () -> assertEquals(0, status.exitCode(), "the leaked token is still valid: " + status));
    }

    private static JwtClaims backdated(String subject) {
        JwtClaims claims = TestTokens.claims(subject);
        claims.setIssuedAt(TestTokens.secondsFromNow(-60));
        return claims;
    }
}
