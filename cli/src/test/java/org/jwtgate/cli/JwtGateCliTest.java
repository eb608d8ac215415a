package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.tokens.RawJws;
import org.jwtgate.testkit.tokens.TestTokens;

/** The real CLI in-process, configured by environment variables as an operator would; memory store only. */
class JwtGateCliTest {

    /** The environment of an operator who exported the filter's settings. */
    private static final Map<String, String> ENV = Map.of(
            "JWTGATE_JWT_SECRET", TestTokens.SECRET,
            "JWTGATE_JWT_ISSUER", TestTokens.ISSUER,
            "JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE,
            "JWTGATE_REVOCATION_STORE", "memory");

    @TempDir
    Path dir;

    /**
     * Redis words a refusal inside a script differently by version, and never as NOPERM: 6.2 "Error running script …
     * The user executing the script can't …", 7.0 "The user executing the script can't …", 7.2 and later "ACL failure in
     * script: User … has no permissions …". Each is Redis refusing the user (exit 2), not Redis unreachable (exit 3).
     */
    @Test
    void whenRedisRefusesInsideAScriptInAnyVersionsWordsThenItCountsAsARefusalOfTheUser() {
        for (String answer : List.of(
                "ERR Error running script (call to f_35ce): @user_script:12: @user_script: 12: The user executing the script"
                        + " can't run this command or subcommand",
                "ERR The user executing the script can't run this command or subcommand script: 35ce, on @user_script:12.",
                "ERR The user executing the script can't publish to the channel mentioned in the command script: 5961,"
                        + " on @user_script:1.",
                "ERR ACL failure in script: User jwtgate has no permissions to run the 'set' command script: 35ce, on"
                        + " @user_script:12.")) {
            assertTrue(JwtGateCli.refusedByAccessControl(new org.jwtgate.revocation.RevocationUnavailableException(
                    "Redis user revocation failed", new redis.clients.jedis.exceptions.JedisDataException(answer))), answer);
        }
        assertFalse(JwtGateCli.refusedByAccessControl(new org.jwtgate.revocation.RevocationUnavailableException(
                "Redis user revocation failed", new redis.clients.jedis.exceptions.JedisDataException(
                        "CLUSTERDOWN The cluster is down"))), "not a refusal");
    }

    /**
     * A replica refuses a script's write with READONLY, which Redis 6.2 wraps ("ERR Error running script … -READONLY
     * …"): a review found the 6.2 form missed (said as Redis's words alone), as JwtGateCliIT's 7.x server cannot show.
     */
    @Test
    void whenAReplicaRefusesAWriteInAnyVersionsWordsThenItIsNamedAsOne() {
        for (String answer : List.of("READONLY You can't write against a read only replica.",
                "ERR Error running script (call to f_dec8): @user_script:15: @user_script: 15: -READONLY You can't write"
                        + " against a read only replica.")) {
            assertTrue(JwtGateCli.answeredAsReplica(new org.jwtgate.revocation.RevocationUnavailableException(
                    "Redis user revocation failed", new redis.clients.jedis.exceptions.JedisDataException(answer))), answer);
        }
        assertFalse(JwtGateCli.answeredAsReplica(new org.jwtgate.revocation.RevocationUnavailableException(
                "Redis user revocation failed", new redis.clients.jedis.exceptions.JedisDataException(
                        "ERR unknown command 'READONLYX'"))), "not a replica's answer");
    }

    @Test
    void whenVerboseIsAskedAsTheCommandReadsItThenOnlyTheSwitchTurnsOnDebugOutput() {
        // main() sets the log level before any logger exists. Before, it looked for "-v" anywhere: after "--" (an
        // operand) or as an option's value it turned on DEBUG output too.
        assertTrue(JwtGateCli.verboseAsked(new String[] {"-v", "status", "-"}));
        assertTrue(JwtGateCli.verboseAsked(new String[] {"revoke-user", "--verbose", "--", "-v"}));
        assertFalse(JwtGateCli.verboseAsked(new String[] {"revoke-user", "--", "-v"}));
        assertFalse(JwtGateCli.verboseAsked(new String[] {"status", "--set", "realm=x", "--", "--verbose"}));
        assertFalse(JwtGateCli.verboseAsked(new String[] {"no-such-command", "-v"}), "refused arguments ask nothing");
    }

    @Test
    void whenGenSecretThenBase64OfRequestedSizeUsableAsJwtSecret() {
        for (int bits : new int[] {256, 384, 512}) {
            CliRun run = CliRun.of("gen-secret", "--bits", Integer.toString(bits));
            assertEquals(ExitCode.OK, run.exitCode(), run.toString());
            String secret = run.out().strip();
            assertTrue(secret.startsWith("base64:"), secret);
            assertEquals(bits / 8, Base64.getDecoder().decode(secret.substring(7)).length);
            // The printed value is accepted as jwt.secret for the matching algorithm.
            CliRun check = CliRun.of(Map.of(), "--set", "jwt.secret=" + secret, "--set", "jwt.algorithms=HS" + bits,
                    "--set", "jwt.issuer=https://i", "--set", "revocation.store=none", "check-config", write("empty.properties", ""));
            assertEquals(ExitCode.OK, check.exitCode(), check.toString());
        }
    }

    @Test
    void whenGenSecretTwiceThenDifferentSecrets() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            secrets.add(CliRun.of("gen-secret").out());
        }
        assertEquals(20, secrets.size());
    }

    @Test
    void whenStatusOfValidTokenThenValidWithIdentityAndNoSecret() {
        CliRun run = CliRun.of(ENV, "status", TestTokens.hs256("alice", "admin"));
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("valid: sub=alice iss=" + TestTokens.ISSUER), run.out());
        assertTrue(run.out().contains("roles=[admin]"), run.out());
        assertFalse((run.out() + run.err()).contains(TestTokens.SECRET));
    }

    @Test
    void whenStatusOfDpopBoundTokenThenTheBindingAndThumbprintFollowTheValidLine() {
        org.jwtgate.testkit.tokens.DpopKey key = org.jwtgate.testkit.tokens.DpopKey.es256();
        CliRun run = CliRun.of(ENV, "--set", "dpop.mode=allowed", "status",
                TestTokens.hs256(org.jwtgate.testkit.tokens.DpopKey.bind(TestTokens.claims("alice"), key)));
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).startsWith("valid: sub=alice iss=" + TestTokens.ISSUER), run.out());
        assertEquals("binding: DPoP jkt=" + key.thumbprint() + " (sender-constrained: requests need a DPoP proof by that key)",
                lines.get(1));
    }

    @Test
    void whenDpopIsOffThenTheBindingLineSaysTheBindingIsNotEnforced() {
        // dpop.mode=off (the default) ignores cnf: the servers take a bound token as a bearer token, proof or not.
        org.jwtgate.testkit.tokens.DpopKey key = org.jwtgate.testkit.tokens.DpopKey.es256();
        CliRun run = CliRun.of(ENV, "status", TestTokens.hs256(org.jwtgate.testkit.tokens.DpopKey.bind(TestTokens.claims("alice"), key)));
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertEquals("binding: DPoP jkt=" + key.thumbprint() + " (not enforced: with dpop.mode=off the servers accept it"
                + " as a bearer token, without a proof)", run.out().lines().toList().get(1));
    }

    @Test
    void whenNearCacheModeKnownThenStatusNamesItAndSaysWhatItMeans() {
        assertEquals("near-cache: sharded pub/sub (Redis 7+: announcements stay in the events channel's shard)",
                StatusCommand.pubSubLine("sharded", true));
        assertEquals("near-cache: classic pub/sub (Redis 6: announcements cross the cluster bus to every node)",
                StatusCommand.pubSubLine("classic", true));
        assertEquals("near-cache: not subscribed within 3 s (mode unknown)", StatusCommand.pubSubLine("none", true));
        // revocation.store=redis: one server has no shard and no bus (before, it got the cluster's sentences).
        assertEquals("near-cache: sharded pub/sub (Redis 7+: one server)", StatusCommand.pubSubLine("sharded", false));
        assertEquals("near-cache: classic pub/sub (Redis 6: one server)", StatusCommand.pubSubLine("classic", false));
    }

    @Test
    void whenStatusOfBearerTokenThenTheBindingLineSaysNone() {
        CliRun run = CliRun.of(ENV, "status", TestTokens.hs256("alice"));
        assertEquals(List.of("binding: none (bearer token)"), run.out().lines().skip(1).toList());
    }

    @Test
    void whenDpopIsRequiredThenStatusOfABearerTokenSaysInvalidAndOfABoundOneValid() {
        // dpop.mode=required: the servers refuse a token without cnf.jkt in either scheme (401 invalid_token).
        CliRun bearer = CliRun.of(ENV, "--set", "dpop.mode=required", "status", TestTokens.hs256("alice"));
        assertEquals(ExitCode.TOKEN_REFUSED, bearer.exitCode(), bearer.toString());
        assertEquals("invalid: DPOP_REQUIRED (bearer token while dpop.mode=required)\n", bearer.out());

        org.jwtgate.testkit.tokens.DpopKey key = org.jwtgate.testkit.tokens.DpopKey.es256();
        CliRun bound = CliRun.of(ENV, "--set", "dpop.mode=required", "status",
                TestTokens.hs256(org.jwtgate.testkit.tokens.DpopKey.bind(TestTokens.claims("alice"), key)));
        assertEquals(ExitCode.OK, bound.exitCode(), bound.toString());
        assertTrue(bound.out().startsWith("valid: sub=alice"), bound.out());
    }

    @Test
    void whenDpopIsAllowedThenStatusOfATokenWithAnUnusableCnfSaysInvalidAsTheServersRefuseIt() {
        // dpop.mode=allowed: a cnf that is no object, or whose jkt is unusable, is refused as a bearer token
        // (DPOP_BOUND_AS_BEARER) and, bound to no key, with any DPoP proof too: no server accepts it.
        for (Object cnf : List.<Object>of("a-thumbprint", List.of("a-thumbprint"), 42, Map.of("jkt", ""), Map.of("jkt", 7))) {
            JwtClaims claims = TestTokens.claims("alice");
            claims.setClaim("cnf", cnf);
            CliRun run = CliRun.of(ENV, "--set", "dpop.mode=allowed", "status", TestTokens.hs256(claims));
            assertEquals(ExitCode.TOKEN_REFUSED, run.exitCode(), "cnf " + cnf + ": " + run);
            assertEquals("invalid: DPOP_BOUND_AS_BEARER (DPoP-bound token (cnf.jkt) presented as a bearer token)\n",
                    run.out(), "cnf " + cnf);
        }
        JwtClaims otherMethod = TestTokens.claims("alice");
        otherMethod.setClaim("cnf", Map.of("x5t#S256", "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"));
        CliRun run = CliRun.of(ENV, "--set", "dpop.mode=allowed", "status", TestTokens.hs256(otherMethod));
        assertEquals(ExitCode.OK, run.exitCode(), "a cnf object without jkt names another method: " + run);
    }

    @Test
    void whenStatusOfTokenFromStdinThenItIsRead() {
        CliRun run = CliRun.withStdin(ENV, "Bearer " + TestTokens.hs256("alice") + "\n", "status", "-");
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("valid: sub=alice"), run.out());
    }

    @Test
    void whenStandardInputHoldsSeveralTokensThenTheCommandRefusesThemAllWithoutPrintingAny() {
        // `status - < tokens.txt` judged the first of several and said nothing of the others (as revoke-token revoked
        // the first only). Refused before any is judged; a trailing blank line is no token.
        String first = TestTokens.hs256("alice");
        String second = TestTokens.hs256("bob");
        CliRun run = CliRun.withStdin(ENV, first + "\n" + second + "\n", "status", "-");
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("more than one line"), run.err());
        assertFalse(run.toString().contains(second) || run.toString().contains(first), run.toString());
        // revoke-token's store is checked first, so it is run against a cluster in JwtGateCliIT.
        run = CliRun.withStdin(ENV, first + "\r\n\n  \n", "status", "-");
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    }

    /** A pipe whose writer sends the second token a moment later: the first alone was judged (revoked), exit 0. */
    @Test
    void whenAPipeSendsASecondTokenLaterThenTheCommandRefusesThemAll() throws Exception {
        String first = TestTokens.hs256("alice");
        String second = TestTokens.hs256("bob");
        java.io.PipedOutputStream writer = new java.io.PipedOutputStream();
        java.io.PipedInputStream pipe = new java.io.PipedInputStream(writer, 1 << 16);
        writer.write((first + "\n").getBytes(StandardCharsets.UTF_8));
        writer.flush();
        Thread later = new Thread(() -> {
            try (writer) {
                Thread.sleep(300);
                writer.write((second + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        later.start();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        ExitCode code = new JwtGateCli().run(new String[] {"status", "-"}, new CliEnvironment(
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
                pipe, ENV, Map.of()));
        later.join();
        assertEquals(ExitCode.INVALID_INPUT, code, out + " " + err);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("more than one line"), err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void whenTheTokenFileStartsWithAByteOrderMarkThenStatusReadsTheTokenAfterIt() {
        // Notepad's "UTF-8 (with BOM)", CRLF: `status - < leaked-token.txt` must judge the token, not the mark.
        CliRun run = CliRun.withStdin(ENV, "\uFEFF" + TestTokens.hs256("alice") + "\r\n", "status", "-");
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("valid: sub=alice"), run.out());
    }

    @Test
    void whenTheTokenFileWithAByteOrderMarkIsGivenInlineThenTheTokenAfterItIsRead() {
        // `status "$(cat leaked-token.txt)"` of the same Notepad file: the shell keeps the mark (and the \r).
        String token = TestTokens.hs256("alice");
        CliRun status = CliRun.of(ENV, "status", "\uFEFF" + token + "\r");
        assertEquals(ExitCode.OK, status.exitCode(), status.toString());
        assertTrue(status.out().startsWith("valid: sub=alice"), status.out());
        // Given to revoke-user by mistake, it is still told for a token, and not printed.
        CliRun revokeUser = CliRun.of(ENV, "revoke-user", "\uFEFF" + token);
        assertEquals(ExitCode.INVALID_INPUT, revokeUser.exitCode(), revokeUser.toString());
        assertTrue(revokeUser.err().startsWith("jwtgate: The subject looks like a token (not shown)"), revokeUser.toString());
    }

    @Test
    void whenATokenIsGivenWithTheFullStopOfASentenceThenItIsStillToldForAToken() {
        // Pasted from "the leaked token is eyJ….eyJ….sig." with its full stop: three dots, no token shape, so
        // revoke-user revoked a user named by the token, exit 0, printing it (and so did its audit line).
        String token = TestTokens.hs256("alice");
        for (String pasted : List.of(token + ".", token + "...", "." + token)) {
            CliRun revokeUser = CliRun.of(ENV, "revoke-user", pasted);
            assertEquals(ExitCode.INVALID_INPUT, revokeUser.exitCode(), revokeUser.toString());
            assertTrue(revokeUser.err().startsWith("jwtgate: The subject looks like a token (not shown)"), revokeUser.toString());
            CliRun checkConfig = CliRun.of(ENV, "check-config", pasted);
            assertEquals(ExitCode.INVALID_INPUT, checkConfig.exitCode(), checkConfig.toString());
            String signature = token.substring(token.lastIndexOf('.') + 1);
            assertFalse((revokeUser.out() + revokeUser.err() + checkConfig.out() + checkConfig.err()).contains(signature),
                    revokeUser + "\n" + checkConfig);
        }
    }

    @Test
    void whenStatusWithoutAStoreOfATokenWithoutJtiThenValid() {
        // revocation.store=none lets jwt.required-claims leave jti out; the filter passes such a token.
        JwtClaims claims = TestTokens.claims("alice");
        claims.unsetClaim("jti");
        CliRun run = CliRun.of(ENV, "--set", "revocation.store=none", "--set", "jwt.required-claims=sub,exp,iat",
                "status", TestTokens.hs256(claims));
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("valid: sub=alice"), run.out());
    }

    @Test
    void whenStatusWithTheMemoryStoreInAllowlistModeThenSignatureAndClaimsOnlyNotRevoked() {
        // This process's memory store has none of the servers' registrations: it cannot say a token is revoked.
        CliRun run = CliRun.of(ENV, "--set", "revocation.mode=allowlist", "status", TestTokens.hs256("alice"));
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("valid: sub=alice"), run.out());
        assertTrue(run.err().contains("only signature and claims are checked"), run.err());
    }

    @Test
    void whenAClaimHoldsControlCharactersThenTheValidLineEscapesThem() {
        // A signed sub could otherwise forge a second "valid:" line or drive the terminal.
        CliRun run = CliRun.of(ENV, "status", TestTokens.hs256("al\u001b[31mice\nvalid: sub=mallory"));
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertEquals(1, run.out().lines().filter(line -> line.startsWith("valid:")).count(), run.out());
        assertTrue(run.out().contains("sub=al\\u001b[31mice\\u000avalid:\\u0020sub=mallory"), run.out());
        assertFalse(run.out().contains("\u001b"), run.out());
    }

    @Test
    void whenTheCnfJktClaimHoldsControlCharactersThenTheBindingLineEscapesThem() {
        // cnf.jkt is any non-empty string of the signed token (with dpop.mode=off it is not checked at all).
        JwtClaims claims = TestTokens.claims("alice");
        claims.setClaim("cnf", Map.of("jkt", "x\u001b[31m\nvalid: sub=mallory"));
        CliRun run = CliRun.of(ENV, "status", TestTokens.hs256(claims));
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertEquals(1, run.out().lines().filter(line -> line.startsWith("valid:")).count(), run.out());
        assertTrue(run.out().contains("binding: DPoP jkt=x\\u001b[31m\\u000avalid:\\u0020sub=mallory"), run.out());
        assertFalse(run.out().contains("\u001b"), run.out());
    }

    @Test
    void whenTheSubjectToRevokeHasSurroundingSpacesOrControlsThenRefusedAsUsage() {
        for (String subject : new String[] {"alice ", " alice", "al\nice"}) {
            CliRun run = CliRun.of(ENV, "revoke-user", subject);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertTrue(run.err().contains("surrounding spaces or a control character"), run.err());
        }
    }

    @Test
    void whenTheTokenToRevokeByIdentityHasExpiredThenAMistypedSubjectIsStillRefused() {
        // An --exp in the past answered "Not revoked: … already expired", exit 0, before --sub and --jti were checked:
        // the exit code of a cron job with a bad value depended on the token's age.
        String past = Long.toString(System.currentTimeMillis() / 1000 - 1_000);
        for (String[] identity : new String[][] {{" j1", "alice"}, {"j1", "alice\n"}}) {
            CliRun run = CliRun.of(ENV, "--set", "revocation.store=redis-cluster", "--set", "redis.nodes=127.0.0.1:1",
                    "revoke-token", "--jti", identity[0], "--sub", identity[1], "--exp", past);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertTrue(run.err().contains("surrounding spaces or a control character"), run.err());
        }
    }

    @Test
    void whenTheSubjectHoldsALoneSurrogateThenStatusWritesItsCodeNotAQuestionMark() {
        // UTF-8 output wrote it as "?", naming another user: `revoke-user '?'` then revoked a user named "?".
        String payload = TestTokens.claims("LONE").toJson().replace("\"LONE\"", "\"a\\ud800\"");
        CliRun run = CliRun.of(ENV, "status", RawJws.hs256("{\"alg\":\"HS256\"}", payload));
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("valid: sub=a\\ud800 "), run.out());
    }

    @Test
    void whenAFileNameIsNoneTheJvmCanUseThenRefusedAsUsage() {
        // No LANG (cron, systemd): `check-config café.properties` arrives as "caf\uFFFD.properties", which Path.of
        // refuses (here: a NUL, refused whatever the locale); it ended as "unexpected", exit 1.
        for (CliRun run : List.of(CliRun.of(ENV, "check-config", "caf\0.properties"),
                CliRun.of(ENV, "--config", "caf\0.properties", "status", TestTokens.hs256("alice")))) {
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertTrue(run.err().startsWith("jwtgate: Cannot read [caf\\u0000.properties]: no file name this JVM can use"),
                    run.err());
        }
    }

    @Test
    void whenTheSubjectOrJtiToRevokeHoldsAnInvisibleCharacterThenRefusedNamingIt() {
        // A byte-order mark ("$(cat user.txt)" of a Notepad file) or a zero-width space (a chat client's copy) names
        // another user or token, unseen: "Revoked" would be false while the one meant stays valid.
        CliRun user = CliRun.of(ENV, "revoke-user", "\uFEFFalice");
        assertEquals(ExitCode.INVALID_INPUT, user.exitCode(), user.toString());
        assertTrue(user.err().startsWith("jwtgate: The subject operand holds an invisible character U+FEFF at position 1;"),
                user.err());
        String exp = Long.toString(System.currentTimeMillis() / 1000 + 60);
        CliRun jti = CliRun.of(ENV, "--set", "revocation.store=redis-cluster", "--set", "redis.nodes=127.0.0.1:1",
                "revoke-token", "--jti", "6f1c\u200B42", "--sub", "alice", "--exp", exp);
        assertEquals(ExitCode.INVALID_INPUT, jti.exitCode(), jti.toString());
        assertTrue(jti.err().startsWith("jwtgate: The token id --jti holds an invisible character U+200B at position 5;"),
                jti.err());
        // A tag character (U+E0041, beyond the basic plane: two chars, neither of them a format character alone).
        CliRun tagged = CliRun.of(ENV, "revoke-user", "alice\uDB40\uDC41");
        assertEquals(ExitCode.INVALID_INPUT, tagged.exitCode(), tagged.toString());
        assertTrue(tagged.err().startsWith("jwtgate: The subject operand holds an invisible character U+E0041 at position 6;"),
                tagged.err());
        // Joiners belong to Persian and Indic names: such a subject goes on (to the store check, refused for memory).
        CliRun persian = CliRun.of(ENV, "revoke-user", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645");
        assertTrue(persian.err().startsWith("jwtgate: Setting [revocation.store] is [memory]"), persian.toString());
    }

    @Test
    void whenTheSubjectOrJtiToRevokeHoldsWhatTheLocaleCouldNotDecodeThenRefusedSayingSo() {
        // `revoke-user josé` from cron (no LANG): the JVM reads "jos\uFFFD\uFFFD", and revoked that user, exit 0.
        CliRun user = CliRun.of(ENV, "revoke-user", "jos\uFFFD\uFFFD");
        assertEquals(ExitCode.INVALID_INPUT, user.exitCode(), user.toString());
        assertTrue(user.err().startsWith("jwtgate: The subject operand holds U+FFFD at position 4, which stands for bytes"
                + " this JVM's locale could not decode") && user.err().contains("LC_ALL=C.UTF-8"), user.err());
        String exp = Long.toString(System.currentTimeMillis() / 1000 + 60);
        CliRun jti = CliRun.of(ENV, "--set", "revocation.store=redis-cluster", "--set", "redis.nodes=127.0.0.1:1",
                "revoke-token", "--jti", "6f1c", "--sub", "jos\uFFFD", "--exp", exp);
        assertEquals(ExitCode.INVALID_INPUT, jti.exitCode(), jti.toString());
        assertTrue(jti.err().startsWith("jwtgate: The subject --sub holds U+FFFD at position 4"), jti.err());
    }

    @Test
    void whenTheSubjectToRevokeIsANameWithDotsThenItIsNotTakenForAToken() {
        // Three base64url "segments", but no JOSE header: the subject goes on to the store check (memory: refused).
        for (String subject : new String[] {"john.doe.smith", "eyJ.a.b"}) {
            CliRun run = CliRun.of(ENV, "revoke-user", subject);
            assertTrue(run.err().startsWith("jwtgate: Setting [revocation.store] is [memory]"), run.toString());
        }
        CliRun jwe = CliRun.of(ENV, "revoke-user", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y3Q.dGFn");
        assertTrue(jwe.err().startsWith("jwtgate: The subject looks like a token (not shown)"), jwe.toString());
    }

    @Test
    void whenATokenIsGivenAsTheSubOrJtiToRevokeThenRefusedWithoutPrintingIt() {
        // `revoke-token --sub "$TOKEN" …` meant for `revoke-token -`: it went on to revoke a token of a user named by the
        // token, printing the token in the "Revoked" line and the audit trail (and writing it into a Redis key).
        String token = TestTokens.hs256("alice");
        String exp = Long.toString(System.currentTimeMillis() / 1000 + 60);
        for (String[] identity : List.of(new String[] {"--jti", "6f1c", "--sub", token}, new String[] {"--jti", token, "--sub", "alice"})) {
            CliRun run = CliRun.of(ENV, "--set", "revocation.store=redis-cluster", "--set", "redis.nodes=127.0.0.1:1",
                    "revoke-token", identity[0], identity[1], identity[2], identity[3], "--exp", exp);
            String option = identity[1].equals(token) ? "--jti" : "--sub";
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), option + ": " + run);
            assertTrue(run.err().startsWith("jwtgate: Option [" + option + "] looks like a token (not shown)"), run.toString());
            assertFalse(run.out().contains(token) || run.err().contains(token), run.toString());
        }
    }

    @Test
    void whenATokenIsGivenAsTheExpToRevokeThenRefusedWithoutPrintingIt() {
        // `revoke-token --jti … --sub … --exp "$TOKEN"`: the "Illegal value for option [--exp]" line echoed the token.
        String token = TestTokens.hs256("alice");
        CliRun run = CliRun.of(ENV, "revoke-token", "--jti", "6f1c", "--sub", "alice", "--exp", token);
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("jwtgate: Option [--exp] looks like a token (not shown)"), run.toString());
        assertFalse(run.out().contains(token) || run.err().contains(token), run.toString());
    }

    @Test
    void whenASecretIsGivenInTheWrongPlaceThenTheErrorMasksIt() {
        // Each printed the secret whole: "Illegal value for option [--bits]: [base64:…]", "Cannot read [base64:…]: no
        // such file", "Illegal value for setting [jwt.algorithms]: [base64:…]", the name of ${env:…} and ${file:…}.
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String secret = "base64:" + java.util.Base64.getEncoder().encodeToString(key);
        String body = secret.substring(7, 30);
        List<String[]> mistakes = List.of(
                new String[] {"gen-secret", "--bits", secret},
                new String[] {"check-config", secret},
                new String[] {"--config", secret, "status", "-"},
                new String[] {"--verbose", "--config", secret, "status", "-"},
                new String[] {"--set", "jwt.algorithms=" + secret, "status", "-"},
                new String[] {"--verbose", "--set", "paths.exclude=" + secret, "status", "-"},
                new String[] {"--set", "token.header=" + secret, "status", "-"},
                new String[] {"--set", "jwt.secret=${env:" + secret + "}", "status", "-"},
                new String[] {"--verbose", "--set", "jwt.secret=${file:" + secret + "}", "status", "-"});
        for (String[] args : mistakes) {
            CliRun run = CliRun.withStdin(ENV, TestTokens.hs256("alice"), args);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), String.join(" ", args) + ": " + run);
            assertTrue(run.err().contains("base64:****"), run.toString());
            assertFalse(run.toString().contains(body), "the secret is never printed: " + run);
        }
        // Spaced or wrapped, as jwt.secret takes it too; and where a value is refused without being quoted.
        String spaced = "base64:" + secret.substring(7).replaceAll("(.{4})", "$1 ").strip();
        String wrapped = "base64:" + secret.substring(7, 27) + "\n" + secret.substring(27);
        for (String[] args : List.of(
                new String[] {"--verbose", "--set", "token.max-length=" + secret, "status", "-"},
                new String[] {"--verbose", "--set", "redis.timeout-ms=" + secret, "status", "-"},
                new String[] {"--verbose", "--set", "jwt.jwks-uri=" + secret, "status", "-"},
                new String[] {"--verbose", "--set", "redis.nodes=" + secret, "status", "-"},
                new String[] {"--verbose", "--set", "jwt.public-key=" + secret, "status", "-"},
                new String[] {"--verbose", "--set", "jwt.algorithms=" + spaced, "status", "-"},
                new String[] {"--verbose", "--set", "jwt.algorithms=" + wrapped, "status", "-"},
                new String[] {"--verbose", "--set", "token.header=" + wrapped, "status", "-"},
                new String[] {"--set", "realm=" + spaced, "check-config"})) {
            CliRun run = CliRun.withStdin(ENV, TestTokens.hs256("alice"), args);
            String printed = run.toString().replaceAll("\\s+", "");
            assertFalse(printed.contains(body) || printed.contains(secret.substring(27, 40)),
                    String.join(" ", args) + ": " + run);
        }
    }

    @Test
    void whenATokenIsGivenAsAnOptionValueThenTheErrorSaysSoWithoutPrintingIt() {
        // Each printed the token whole: "Illegal value for option [--bits]: [eyJ…]", "No <filter> named [eyJ…]",
        // "Cannot read [config.file] file [eyJ…]", "Illegal value for setting [token.max-length]: [eyJ…]".
        String token = TestTokens.hs256("alice");
        String webXml = write("web.xml", "<web-app><filter><filter-name>jwtgate</filter-name><filter-class>"
                + WebXmlFilters.FILTER_CLASS + "</filter-class></filter></web-app>");
        List<String[]> mistakes = List.of(
                new String[] {"gen-secret", "--bits", token},
                new String[] {"check-config", webXml, "--filter", token},
                new String[] {"--config", token, "status", "-"},
                new String[] {"--verbose", "--config", token, "status", "-"},
                new String[] {"--set", "token.max-length=" + token, "status", "-"},
                new String[] {"--verbose", "--set", "token.max-length=Bearer " + token, "status", "-"});
        for (String[] args : mistakes) {
            CliRun run = CliRun.withStdin(ENV, token, args);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), String.join(" ", args) + ": " + run);
            assertTrue(run.err().contains("(not shown: it looks like a token)"), run.toString());
            assertFalse(run.toString().contains(token.substring(0, 40)), "the token is never printed: " + run);
        }

        // A token of 1,200 characters (a Keycloak token with groups): the message, cut to 1,000 characters, showed its
        // first 650 and its signature, which the CLI could no longer find whole to hide.
        org.jose4j.jwt.JwtClaims claims = TestTokens.claims("alice");
        List<String> groups = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            groups.add("/departments/engineering/group-" + i);
        }
        claims.setStringListClaim("groups", groups);
        String longToken = TestTokens.hs256(claims);
        assertTrue(longToken.length() > 1_200, "length " + longToken.length());
        for (String[] args : List.of(new String[] {"--set", "token.max-length=" + longToken, "status", "-"},
                new String[] {"--verbose", "--config", longToken, "status", "-"})) {
            CliRun run = CliRun.withStdin(ENV, token, args);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertTrue(run.err().contains("(not shown: it looks like a token)"), run.toString());
            assertFalse(run.toString().contains(longToken.substring(0, 40)) || run.toString().contains(longToken.substring(longToken.length() - 20)),
                    "no part of the token is printed: " + run);
        }
    }

    @Test
    void whenStandardInputIsEmptyThenStatusSaysNoTokenWasThere() {
        // Before: "jwtgate: The token is empty", as if the token given were blank (`status - < /dev/null`).
        for (String stdin : List.of("", "\n", "  \r\n")) {
            CliRun run = CliRun.withStdin(ENV, stdin, "status", "-");
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertEquals("jwtgate: No token on standard input (it was empty or closed); with -, the token is read from standard"
                    + " input, e.g. status - < token.txt", run.err().strip());
        }
    }

    @Test
    void whenExpIsBeyondAnyInstantThenRefusedAsUsageNotAnUnexpectedError() {
        for (String exp : new String[] {"31556889864403200", "9223372036854775807"}) {
            CliRun run = CliRun.of(ENV, "revoke-token", "--jti", "a", "--sub", "b", "--exp", exp);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertTrue(run.err().contains("Illegal value for option [--exp]"), run.err());
        }
    }

    @Test
    void whenStatusOfExpiredTokenThenExpiredAndExit5() {
        JwtClaims claims = TestTokens.claims("alice");
        claims.setIssuedAt(TestTokens.secondsFromNow(-3600));
        claims.setExpirationTime(TestTokens.secondsFromNow(-600));
        CliRun run = CliRun.of(ENV, "status", TestTokens.hs256(claims));
        assertEquals(ExitCode.TOKEN_REFUSED, run.exitCode(), run.toString());
        assertEquals(5, run.exitCode().status());
        assertTrue(run.out().startsWith("expired: EXPIRED"), run.out());
    }

    @Test
    void whenStatusOfTokenSignedWithOtherKeyThenInvalidWithReason() {
        String forged = TestTokens.sign(TestTokens.claims("alice"), "HS256",
                TestTokens.hmacKey("another-secret-0123456789abcdefgh"), jws -> { });
        CliRun run = CliRun.of(ENV, "status", forged);
        assertEquals(ExitCode.TOKEN_REFUSED, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("invalid: SIGNATURE_INVALID (signature does not verify)"), run.out());
        assertFalse(run.out().contains(forged), "the token is never echoed");
    }

    @Test
    void whenStatusOfGarbageThenInvalidNotACrash() {
        CliRun run = CliRun.of(ENV, "status", "not a token");
        assertEquals(ExitCode.TOKEN_REFUSED, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("invalid: MALFORMED"), run.out());
    }

    @Test
    void whenStatusWithMemoryStoreThenWarnsThatRevocationsAreNotVisible() {
        CliRun run = CliRun.of(ENV, "status", TestTokens.hs256("alice"));
        assertTrue(run.err().contains("[memory]"), run.err());
    }

    @Test
    void whenRevokeWithMemoryStoreThenRefusedAsUselessExit2() {
        CliRun run = CliRun.of(ENV, "revoke-user", "alice");
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("jwtgate: Setting [revocation.store] is [memory]"), run.err());
        assertEquals(1, run.err().lines().count(), "one line, no stack trace");
    }

    @Test
    void whenRevokeWithoutStoreThenRefusedExit2() {
        CliRun run = CliRun.of(ENV, "--set", "revocation.store=none", "revoke-token", TestTokens.hs256("alice"));
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[none]"), run.err());
    }

    @Test
    void whenConfigInvalidThenOneLineNamingKeyWithoutSecretExit2() {
        Map<String, String> env = Map.of("JWTGATE_JWT_SECRET", "too-short-secret", "JWTGATE_JWT_ISSUER", "https://i",
                "JWTGATE_REVOCATION_STORE", "memory");
        CliRun run = CliRun.of(env, "status", TestTokens.hs256("alice"));
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[jwt.secret]") && run.err().contains("JWTGATE_JWT_SECRET"), run.err());
        assertFalse(run.err().contains("too-short-secret"));
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void whenVerboseThenStackTraceFollowsTheErrorLine() {
        CliRun run = CliRun.of(Map.of(), "--verbose", "status", "a.b.c");
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().lines().count() > 3, run.err());
        assertTrue(run.err().contains("at org.jwtgate."), run.err());
    }

    @Test
    void whenSetOverridesEnvironmentThenSetWinsAndErrorsNameTheOption() {
        CliRun run = CliRun.of(ENV, "--set", "jwt.clock-skew-seconds=lots", "status", TestTokens.hs256("alice"));
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("(from --set jwt.clock-skew-seconds)"), run.err());

        CliRun overridden = CliRun.of(ENV, "--set", "jwt.issuer=https://other.example", "status", TestTokens.hs256("alice"));
        assertTrue(overridden.out().startsWith("invalid: ISSUER_INVALID"), overridden.toString());
    }

    @Test
    void whenConfigFileGivenThenItsSettingsApply() {
        String file = write("cli.properties", "jwt.secret=" + TestTokens.SECRET + "\njwt.issuer=" + TestTokens.ISSUER
                + "\nrevocation.store=memory\n");
        CliRun run = CliRun.withStdin(Map.of(), TestTokens.hs256("bob"), "--config", file, "status", "-");
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    }

    @Test
    void whenUnknownJwtgateVariableThenRefusedLikeTheFilter() {
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.put("JWTGATE_JWT_ISUER", "x");
        CliRun run = CliRun.of(env, "status", TestTokens.hs256("alice"));
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("JWTGATE_JWT_ISUER") && run.err().contains("JWTGATE_JWT_ISSUER"), run.err());
    }

    @Test
    void whenRevokeTokenByIdentityWithMillisecondsThenRefused() {
        CliRun run = CliRun.of(Map.of("JWTGATE_JWT_SECRET", TestTokens.SECRET, "JWTGATE_JWT_ISSUER", "https://i",
                        "JWTGATE_REVOCATION_STORE", "redis-cluster", "JWTGATE_REDIS_NODES", "127.0.0.1:1"),
                "revoke-token", "--jti", "x", "--sub", "alice", "--exp", Long.toString(System.currentTimeMillis()));
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("not milliseconds"), run.err());
    }

    /**
     * A server whose clock runs the skew ahead of the CLI's accepts a token expiring up to three skews and max-age from
     * the CLI's now (iat up to its now + skew, exp - iat up to max-age + skew): such an --exp was refused as later than
     * any token could expire (the bound had two skews), so nothing could revoke the token (a probe's find).
     */
    @Test
    void whenRevokeTokenByIdentityHasAnExpAServerAheadBySkewAcceptsThenItIsTaken() {
        Map<String, String> env = Map.of("JWTGATE_JWT_SECRET", TestTokens.SECRET, "JWTGATE_JWT_ISSUER", "https://i",
                "JWTGATE_REVOCATION_STORE", "redis-cluster", "JWTGATE_REDIS_NODES", "127.0.0.1:1",
                "JWTGATE_REDIS_TIMEOUT_MS", "200", "JWTGATE_REDIS_MAX_ATTEMPTS", "1");
        long bound = java.time.Instant.now().getEpochSecond() + 3 * 30 + 86_400; // defaults: skew 30 s, max-age 1 day
        CliRun taken = CliRun.of(env, "revoke-token", "--jti", "x", "--sub", "alice", "--exp", "" + (bound - 10));
        assertEquals(ExitCode.UNAVAILABLE, taken.exitCode(), "past the --exp check, to the store: " + taken);
        CliRun refused = CliRun.of(env, "revoke-token", "--jti", "x", "--sub", "alice", "--exp", "" + (bound + 10));
        assertEquals(ExitCode.INVALID_INPUT, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("[--exp]"), refused.err());
    }

    @Test
    void whenCheckConfigOfValidPropertiesThenSettingsPrintedMasked() {
        String file = write("ok.properties", "jwt.secret=" + TestTokens.SECRET + "\njwt.issuer=https://i\n"
                + "revocation.store=redis-cluster\nredis.nodes=127.0.0.1:7000\nredis.password=hunter2-redis\n");
        CliRun run = CliRun.of("check-config", file);
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("is valid") && run.out().contains("jwt.secret=****")
                && run.out().contains("redis.password=****") && run.out().contains("redis.nodes=127.0.0.1:7000"), run.out());
        assertFalse(run.out().contains(TestTokens.SECRET) || run.out().contains("hunter2-redis"), run.out());
    }

    @Test
    void whenTheJwksUriCarriesAnApiKeyThenCheckConfigPrintsItMasked() {
        // Before: "jwt.jwks-uri=https://idp.example/jwks.json?api_key=<the key>" on standard output.
        String file = write("jwks.properties", "jwt.jwks-uri=https://idp.example/jwks.json?api_key=S3CR3T-key\n"
                + "jwt.issuer=https://i\nrevocation.store=memory\n");
        CliRun run = CliRun.of("check-config", file);
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("jwt.jwks-uri=https://idp.example/jwks.json?api_key=****"), run.out());
        assertFalse(run.toString().contains("S3CR3T"), run.toString());
    }

    @Test
    void whenSettingsTakeNoEffectThenCheckConfigSaysValidWarnsNamingThemAndExitsZero() {
        // Before: "is valid" and nothing more; the servers then ran without DPoP and without Redis, silently.
        String file = write("idle.properties", "jwt.secret=" + TestTokens.SECRET + "\njwt.issuer=https://i\n"
                + "revocation.store=memory\ndpop.proof-max-age-seconds=30\nredis.password=hunter2-redis\n");
        CliRun run = CliRun.of("check-config", file);
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("is valid"), run.out());
        assertTrue(run.err().startsWith("jwtgate: warning: properties file [" + file + "]: settings that take no effect")
                && run.err().contains("[dpop.proof-max-age-seconds] (from properties file " + file + "): dpop.mode is off")
                && run.err().contains("[redis.password] (from properties file " + file + "): revocation.store is memory"),
                run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertFalse(run.toString().contains("hunter2-redis"), run.toString());
    }

    @Test
    void whenSettingsTakeNoEffectThenStatusAndRevokeWarnOnStandardErrorLeavingOutputAndExitCodeAsTheyWere() {
        // Before: only check-config named them; status and revoke-* said nothing.
        String token = TestTokens.hs256("alice");
        for (List<String> command : List.of(List.of("status", token), List.of("revoke-user", "alice"),
                List.of("revoke-token", token))) {
            CliRun plain = CliRun.of(ENV, command.toArray(String[]::new));
            List<String> idle = new ArrayList<>(List.of("--set", "dpop.proof-max-age-seconds=30"));
            idle.addAll(command);
            CliRun run = CliRun.of(ENV, idle.toArray(String[]::new));
            assertEquals(plain.exitCode(), run.exitCode(), run.toString());
            assertEquals(plain.out(), run.out(), command.get(0));
            assertFalse(plain.err().contains("warning: settings"), plain.toString());
            assertTrue(run.err().startsWith("jwtgate: warning: settings that take no effect")
                    && run.err().lines().findFirst().orElseThrow().contains("[dpop.proof-max-age-seconds]")
                    && run.err().contains("dpop.mode is off"), run.toString());
            // Named as typed, as errors name it: before, "(from system property jwtgate.dpop.proof-max-age-seconds)".
            assertTrue(run.err().contains("[dpop.proof-max-age-seconds] (from --set dpop.proof-max-age-seconds)"),
                    run.toString());
            assertFalse(run.err().contains("system property"), run.toString());
            assertEquals(plain.err().lines().count() + 1, run.err().lines().count(), run.toString());
        }
    }

    @Test
    void whenASetKeyIsTheStartOfAnotherKeySetAsSystemPropertyThenOnlyItsOwnSourceIsNamedAsTheOption() {
        // --set revocation.near-cache=false beside -Djwtgate.revocation.near-cache.capacity=5000: before, the warning
        // said the capacity came "from --set revocation.near-cache.capacity" (the second diff review's run).
        Map<String, String> properties = Map.of("jwtgate.revocation.near-cache.capacity", "5000");
        CliRun run = CliRun.withProperties(ENV, properties, "",
                "--set", "revocation.near-cache=false", "status", TestTokens.hs256("alice"));
        assertTrue(run.err().contains("[revocation.near-cache.capacity] (from system property"
                + " jwtgate.revocation.near-cache.capacity)"), run.toString());
        assertFalse(run.err().contains("--set revocation.near-cache.capacity"), run.toString());
    }

    @Test
    void whenTheJwksUriHasAPortOutOfRangeThenCheckConfigRefusesItNamingTheKey() {
        // Before: "is valid", and the servers then answered every token 503 ("port out of range:99999").
        String file = write("jwks-port.properties", "jwt.jwks-uri=https://idp.example:99999/jwks\n"
                + "jwt.issuer=https://i\nrevocation.store=memory\n");
        CliRun run = CliRun.of("check-config", file);
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[jwt.jwks-uri]: [https://idp.example:99999/jwks]"), run.err());
    }

    @Test
    void whenTheKeyServerOfAJwksUriWithAnApiKeyIsUnreachableThenStatusSaysSoWithTheKeyMasked() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String uri = "http://127.0.0.1:" + closedPort + "/jwks.json";
        CliRun run = CliRun.withStdin(Map.of("JWTGATE_JWT_JWKS_URI", uri + "?api_key=S3CR3T-key",
                        "JWTGATE_JWT_ISSUER", TestTokens.ISSUER, "JWTGATE_REVOCATION_STORE", "none"),
                TestTokens.sign(TestTokens.claims("alice"), "RS256", TestTokens.rsaKeyPair().getPrivate(),
                        jws -> jws.setKeyIdHeaderValue("k1")), "status", "-");
        assertEquals(ExitCode.UNAVAILABLE, run.exitCode(), run.toString());
        assertEquals("jwtgate: unreachable: JWKS not loaded yet from " + uri + "?api_key=****", run.err().strip());
        assertFalse(run.toString().contains("S3CR3T"), run.toString());
    }

    @Test
    void whenCheckConfigOfInvalidPropertiesThenKeyNamedExit2() {
        String file = write("bad.properties", "jwt.secret=" + TestTokens.SECRET + "\njwt.issuer=https://i\n"
                + "revocation.store=memory\ntoken.max-length=12\n");
        CliRun run = CliRun.of("check-config", file);
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[token.max-length]: [12]"), run.err());
    }

    @Test
    void whenCheckConfigOfAJwtTypeThatIsNoMediaTypeThenKeyNamedExit2() {
        // Said valid, while the filter then failed to start with jose4j's own words, naming no setting.
        String file = write("type.properties", "jwt.secret=" + TestTokens.SECRET + "\njwt.issuer=https://i\n"
                + "revocation.store=memory\njwt.type=application/*\n");
        CliRun run = CliRun.of("check-config", file);
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[jwt.type]: [application/*]"), run.err());
    }

    @Test
    void whenConfigFileVariableSetThenCheckConfigStillChecksTheFileGiven() {
        String good = write("good.properties", "jwt.secret=" + TestTokens.SECRET + "\njwt.issuer=https://i\nrevocation.store=memory\n");
        String other = write("other.properties", "jwt.issuer=https://other\n");
        CliRun run = CliRun.of(Map.of("JWTGATE_CONFIG_FILE", other), "check-config", good);
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("jwt.issuer=https://i,") && run.out().contains("config.file=" + good), run.out());
    }

    @Test
    void whenCheckConfigOfPropertiesAlsoGetsSetConfigFileThenRefusedAsWithConfig() {
        // --set config.file is --config (CliArguments refuses both at once): naming a second file must not be ignored.
        String good = write("good.properties", "jwt.secret=" + TestTokens.SECRET + "\njwt.issuer=https://i\nrevocation.store=memory\n");
        String other = write("other.properties", "jwt.issuer=https://other\nno.such-setting=1\n");
        for (String[] args : List.of(new String[] {"check-config", good, "--config", other},
                new String[] {"check-config", good, "--set", "config.file=" + other})) {
            CliRun run = CliRun.of(args);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertTrue(run.err().contains("either as argument or as --config"), run.err());
            assertFalse(run.out().contains("is valid"), run.out());
        }
    }

    @Test
    void whenCheckConfigOfMissingFileThenExit2() {
        CliRun run = CliRun.of("check-config", dir.resolve("nope.xml").toString());
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no such file"), run.err());
    }

    @Test
    void whenCheckConfigIsGivenATokenThenRefusedWithoutPrintingIt() {
        // `check-config "$TOKEN"` (meant for status): before, "Cannot read [<the token>]: no such file" on stderr.
        String token = TestTokens.hs256("alice");
        for (String given : List.of(token, "Bearer " + token, token + "\r")) {
            CliRun run = CliRun.of(ENV, "check-config", given);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertFalse((run.out() + run.err()).contains(token.substring(0, 40)), "the token is never printed: " + run);
            assertTrue(run.err().startsWith("jwtgate: The file to check looks like a token (not shown)"), run.err());
            assertTrue(run.err().contains("status -"), run.err());
        }
    }

    @Test
    void whenCheckConfigOfDirectoryThenExit2SayingSo() {
        CliRun run = CliRun.of("check-config", dir.toString());
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("Cannot read [" + dir + "]: a directory"), run.err());
    }

    @Test
    void whenCheckConfigIsGivenAHugeFileByMistakeThenOneLineExit2NotACrash() throws java.io.IOException {
        // An archive named where the web.xml goes: neither .xml nor .properties, so its start tells which it is.
        Path archive = dir.resolve("app-backup.tar");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(archive.toFile(), "rw")) {
            file.write(0xFF); // not text
            file.setLength(3L << 30); // sparse: 3 GiB on no disk
        }
        CliRun run = CliRun.of("check-config", archive.toString());
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("jwtgate: properties file [" + archive + "] is invalid: Cannot read"), run.err());
    }

    @Test
    void whenTheConfigFileIsLargerThanOneMebibyteThenOneLineNamingItAndTheLimitExit2() {
        // --config /dev/zero ended in an OutOfMemoryError and its stack trace (exit 1); a big file was read whole.
        String big = write("big.properties", "jwt.secret=" + TestTokens.SECRET + "\njwt.issuer=https://i\n"
                + "revocation.store=memory\n#" + "x".repeat(1 << 20) + "\n");
        for (String[] args : List.of(new String[] {"--config", big, "status", "-"}, new String[] {"check-config", big})) {
            CliRun run = CliRun.withStdin(Map.of(), TestTokens.hs256("alice"), args);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().contains("[" + big + "]: it is larger than 1 MiB (1048576 bytes)"), run.err());
        }
        String webXml = write("big.xml", "<web-app>" + " ".repeat(1 << 20) + "</web-app>");
        CliRun run = CliRun.of("check-config", webXml);
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertEquals("jwtgate: Cannot read [" + webXml + "]: it is larger than 1 MiB (1048576 bytes), the limit for a"
                + " web.xml", run.err().strip());
    }

    @Test
    void whenTheConfigFileIsADeviceThenRefusedNamingItExit2() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/dev/zero")), "a system with /dev/zero");
        CliRun config = CliRun.withStdin(Map.of(), TestTokens.hs256("alice"), "--config", "/dev/zero", "status", "-");
        assertEquals(ExitCode.INVALID_INPUT, config.exitCode(), config.toString());
        assertTrue(config.err().startsWith("jwtgate: Cannot read [config.file] file [/dev/zero]: not a regular file (a"
                + " device or a pipe)"), config.err());
        CliRun check = CliRun.of("check-config", "/dev/zero");
        assertEquals(ExitCode.INVALID_INPUT, check.exitCode(), check.toString());
        assertEquals("jwtgate: Cannot read [/dev/zero]: not a regular file", check.err().strip());
    }

    @Test
    void whenCheckConfigOfWebXmlThenEachJwtGateFilterIsValidated() {
        String webXml = write("web.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <filter>
                    <filter-name>api</filter-name>
                    <filter-class>org.jwtgate.filter.JwtAuthFilter</filter-class>
                    <init-param><param-name>jwt.secret</param-name><param-value>${env:APP_SECRET}</param-value></init-param>
                    <init-param><param-name>jwt.issuer</param-name><param-value>https://a</param-value></init-param>
                    <init-param><param-name>revocation.store</param-name><param-value>none</param-value></init-param>
                  </filter>
                  <filter>
                    <filter-name>other</filter-name>
                    <filter-class>com.example.Unrelated</filter-class>
                  </filter>
                  <filter>
                    <filter-name>admin</filter-name>
                    <filter-class>org.jwtgate.filter.JwtAuthFilter</filter-class>
                    <init-param><param-name>jwt.secret</param-name><param-value>${env:APP_SECRET}</param-value></init-param>
                    <init-param><param-name>jwt.isuer</param-name><param-value>https://b</param-value></init-param>
                  </filter>
                </web-app>
                """);
        CliRun run = CliRun.of(Map.of("APP_SECRET", TestTokens.SECRET), "check-config", webXml);
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.out().contains("filter [api] of [" + webXml + "] is valid"), run.out());
        assertTrue(run.err().contains("filter [admin]") && run.err().contains("Unknown setting [jwt.isuer] in init-param"), run.err());
        assertFalse(run.out().contains(TestTokens.SECRET));

        CliRun onlyApi = CliRun.of(Map.of("APP_SECRET", TestTokens.SECRET), "check-config", webXml, "--filter", "api");
        assertEquals(ExitCode.OK, onlyApi.exitCode(), onlyApi.toString());

        CliRun unsetReference = CliRun.of(Map.of(), "check-config", webXml, "--filter", "api");
        assertTrue(unsetReference.err().contains("environment variable [APP_SECRET], which is not set"), unsetReference.toString());
    }

    /**
     * An init-param without its param-value reaches the filter as null on Jetty, which init() refuses:
     * check-config must refuse it too, token.cookie (whose empty value means "no cookie") included.
     */
    @Test
    void whenAWebXmlInitParamHasNoParamValueThenCheckConfigRefusesItAsTheFilterWould() {
        String webXml = write("web.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <filter>
                    <filter-name>api</filter-name>
                    <filter-class>org.jwtgate.filter.JwtAuthFilter</filter-class>
                    <init-param><param-name>jwt.secret</param-name><param-value>${env:APP_SECRET}</param-value></init-param>
                    <init-param><param-name>jwt.issuer</param-name><param-value>https://a</param-value></init-param>
                    <init-param><param-name>revocation.store</param-name><param-value>none</param-value></init-param>
                    <init-param><param-name>token.cookie</param-name></init-param>
                  </filter>
                </web-app>
                """);
        CliRun run = CliRun.of(Map.of("APP_SECRET", TestTokens.SECRET), "check-config", webXml);
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("Setting [token.cookie] has no value in init-param"), run.err());
    }

    @Test
    void whenAWebXmlNameOrValueHoldsALineBreakThenCheckConfigStillPrintsOneLineEach() {
        String webXml = write("web.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <filter>
                    <filter-name>api&#10;filter [admin] of [web.xml] is valid</filter-name>
                    <filter-class>org.jwtgate.filter.JwtAuthFilter</filter-class>
                    <init-param><param-name>jwt.secret</param-name><param-value>${env:APP_SECRET}</param-value></init-param>
                    <init-param><param-name>jwt.issuer</param-name><param-value>https://a</param-value></init-param>
                    <init-param><param-name>revocation.store</param-name><param-value>none</param-value></init-param>
                  </filter>
                  <filter>
                    <filter-name>admin</filter-name>
                    <filter-class>org.jwtgate.filter.JwtAuthFilter</filter-class>
                    <init-param><param-name>jwt.secret</param-name><param-value>${env:APP_SECRET}</param-value></init-param>
                    <init-param><param-name>jwt.issuer</param-name><param-value>https://a</param-value></init-param>
                    <init-param><param-name>revocation.store</param-name><param-value>none</param-value></init-param>
                    <init-param><param-name>paths.roles</param-name><param-value>/admin/*&#10;jwtgate: forged</param-value></init-param>
                  </filter>
                </web-app>
                """);
        CliRun run = CliRun.of(Map.of("APP_SECRET", TestTokens.SECRET), "check-config", webXml);
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertEquals(2, run.out().lines().count(), run.out()); // "… is valid" and its settings
        assertTrue(run.out().startsWith("filter [api\\u000afilter [admin] of [web.xml] is valid] of ["), run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("[paths.roles]: [/admin/*\\u000ajwtgate: forged]"), run.err());
    }

    @Test
    void whenHelpThenUsageListsEveryCommandAndExitCode() {
        CliRun run = CliRun.of("--help");
        assertEquals(ExitCode.OK, run.exitCode());
        for (CliArguments.Command command : CliArguments.Command.values()) {
            assertTrue(run.out().contains(command.commandName()), command.commandName());
        }
        for (ExitCode code : ExitCode.values()) {
            assertTrue(run.out().contains("  " + code.status() + "  "), code.name());
        }
    }

    @Test
    void whenGenSecretCannotWriteStandardOutputThenExit1SayingSoOnStandardError() {
        // `gen-secret > /etc/jwtgate/jwt-secret` on a full disk (or `> /dev/full`): before, exit 0 and an empty file.
        java.io.OutputStream full = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }
        };
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        for (String[] args : List.of(new String[] {"gen-secret"}, new String[] {"gen-secret", "--bits", "512"})) {
            err.reset();
            CliEnvironment environment = new CliEnvironment(new java.io.PrintStream(full, true, java.nio.charset.StandardCharsets.UTF_8),
                    new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                    new java.io.ByteArrayInputStream(new byte[0]), ENV, Map.of());
            ExitCode code = new JwtGateCli().run(args, environment);
            String stderr = err.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(ExitCode.FAILURE, code, args[0] + ": " + stderr);
            assertEquals("jwtgate: Cannot write the secret to standard output (closed, or its disk full): no secret was"
                    + " written\n", stderr);
        }
    }

    private String write(String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, content);
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A token copied with what surrounds it (the quotes of a JSON response, a list's comma, a header's name). Before:
     * revoke-user revoked a "user" named by it and printed it (exit 0); check-config and --exp quoted it in their error.
     */
    @Test
    void whenATokenIsGivenWithinOtherTextThenRefusedAsATokenWithoutPrintingIt() {
        String token = TestTokens.hs256("alice", "user");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String exp = Long.toString(System.currentTimeMillis() / 1000 + 60);
        for (String wrapped : List.of("\"" + token + "\"", token + ",", "'" + token + "'", "Authorization: Bearer " + token,
                "access_token=" + token)) {
            String store = "revocation.store=redis-cluster";
            String nodes = "redis.nodes=127.0.0.1:1"; // never reached: the arguments are checked first
            for (CliRun run : List.of(CliRun.of(ENV, "revoke-user", wrapped), CliRun.of(ENV, "check-config", wrapped),
                    CliRun.of(ENV, "--set", store, "--set", nodes, "revoke-token", "--jti", "j", "--sub", "s", "--exp", wrapped),
                    CliRun.of(ENV, "--set", store, "--set", nodes, "revoke-token", "--jti", wrapped, "--sub", "s", "--exp", exp),
                    CliRun.of(ENV, "--set", store, "--set", nodes, "revoke-token", "--jti", "j", "--sub", wrapped, "--exp", exp))) {
                assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
                assertTrue(run.err().contains("looks like a token"), wrapped + " -> " + run);
                assertFalse((run.out() + run.err()).contains(signature), wrapped + " -> " + run);
            }
        }
        // Names with dots are names.
        CliRun dotted = CliRun.of(ENV, "revoke-user", "\"john.doe.smith\",");
        assertTrue(dotted.err().contains("Setting [revocation.store] is [memory]"), dotted.toString());
    }

    /** Before: "Standard input holds more than one line" (with a line break) or MALFORMED (without), naming no cause. */
    @Test
    void whenStandardInputIsUtf16ThenTheRefusalSaysSo() {
        String token = TestTokens.hs256("alice");
        for (java.nio.charset.Charset utf16 : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            for (String text : List.of("\uFEFF" + token + "\r\n", "\uFEFF" + token, token + "\n")) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
                ExitCode code = new JwtGateCli().run(new String[] {"status", "-"}, new CliEnvironment(
                        new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                        new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
                        new java.io.ByteArrayInputStream(text.getBytes(utf16)), ENV, Map.of()));
                assertEquals(ExitCode.INVALID_INPUT, code, out + " " + err);
                assertEquals("jwtgate: Standard input is UTF-16 text (as PowerShell 5's > and Notepad's \"Unicode\" write);"
                        + " save the token as UTF-8 or ASCII (nothing was done)", err.toString(StandardCharsets.UTF_8).strip());
            }
        }
    }

    /**
     * A sub status printed escaped, passed on as typed (`revoke-user "$SUB"`), named the text of the escape: another
     * user, revoked with exit 0. Refused; --escaped reads it as status wrote it, and a backslash of the sub itself
     * is written \\u005c there.
     */
    @Test
    void whenASubjectIsWrittenAsStatusPrintsAnotherThenRefusedUnlessEscapedIsGiven() {
        // Upper-case hex too, and one such escape beside others: "mallory\\u200B" revoked its text, exit 0 (tenth review).
        for (String written : List.of("mallory\\u200b", "CORP\\u0012345", "bob\\u0020", "mallory\\u200B",
                "CORP\\u0012345\\u0041", "alice\\u0020smith", "a\\u005cb")) {
            CliRun run = CliRun.of(ENV, "revoke-user", written);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertTrue(run.err().startsWith("jwtgate: The subject operand [" + written + "] is how status prints another"
                    + " value"), run.err());
            // With --escaped it goes on (to the store check: memory is refused).
            CliRun escaped = CliRun.of(ENV, "revoke-user", "--escaped", written);
            assertTrue(escaped.err().startsWith("jwtgate: Setting [revocation.store] is [memory]"), escaped.toString());
        }
        // Escapes of white space only: blank once read, no token's subject or jti. Refused as input (exit 2); it was the
        // library's IllegalArgumentException, "unexpected", exit 1 (a store it reaches: the check comes first).
        Map<String, String> redis = new java.util.HashMap<>(ENV);
        redis.put("JWTGATE_REVOCATION_STORE", "redis");
        redis.put("JWTGATE_REDIS_NODES", "127.0.0.1:1");
        String exp = Long.toString(System.currentTimeMillis() / 1000 + 600);
        for (String[] args : List.of(new String[] {"revoke-user", "--escaped", "\\u0020"},
                new String[] {"revoke-user", "--escaped", "\\u2003\\u2003"},
                new String[] {"revoke-token", "--escaped", "--sub", "\\u0020", "--jti", "j1", "--exp", exp},
                new String[] {"revoke-token", "--escaped", "--sub", "bob", "--jti", "\\u0009", "--exp", exp})) {
            CliRun blank = CliRun.of(redis, args);
            assertEquals(ExitCode.INVALID_INPUT, blank.exitCode(), blank.toString());
            assertTrue(blank.err().contains("] is blank once its \\uXXXX are read"), blank.err());
        }
        // Not how status prints anything (it prints U+0123 and a backslash as they are): a name as typed.
        for (String written : List.of("DOMAIN\\u0123456", "DOMAIN\\user", "a\\u00E9", "Jean\u00a0Dupont", "\u5c71\u3000\u592a",
                "alice smith")) {
            CliRun run = CliRun.of(ENV, "revoke-user", written);
            assertTrue(run.err().startsWith("jwtgate: Setting [revocation.store] is [memory]"), run.toString());
        }
        // A raw invisible character: the refusal shows the form to give with --escaped.
        CliRun raw = CliRun.of(ENV, "revoke-user", "mallory\u200b");
        assertTrue(raw.err().contains("; if it is theirs, give the subject as status prints it, with --escaped:"
                + " [mallory\\u200b]"), raw.err());
        CliRun rawEscaped = CliRun.of(ENV, "revoke-user", "--escaped", "mallory\u200b");
        assertEquals(ExitCode.INVALID_INPUT, rawEscaped.exitCode(), rawEscaped.toString());
        assertTrue(rawEscaped.err().startsWith("jwtgate: With --escaped, the subject operand is written as status prints"
                + " it"), rawEscaped.err());
        // Only where a subject or jti is read.
        for (CliRun other : List.of(CliRun.of(ENV, "--escaped", "status", TestTokens.hs256("alice")),
                CliRun.of(ENV, "revoke-token", "--escaped", TestTokens.hs256("alice")), CliRun.of(ENV, "gen-secret", "--escaped"))) {
            assertEquals(ExitCode.INVALID_INPUT, other.exitCode(), other.toString());
            assertTrue(other.err().startsWith("jwtgate: Option [--escaped] is for revoke-user and revoke-token --jti/--sub"),
                    other.err());
        }
    }

    /** The eleventh review's names: each read as "mallory" or "alice" in status, or could not be revoked. */
    @Test
    void whenASubHoldsAFillerOrAnEdgeNoBreakSpaceOrLooksLikeAnEmptyHeaderThenStatusShowsItAndRevokeUserTakesItRight() {
        // Hangul filler (a letter), Braille blank, variation selector: printed as codes, refused raw.
        for (String[] sub : new String[][] {{"mallory\u3164", "mallory\\u3164"}, {"mallory\u2800", "mallory\\u2800"},
                {"mallory\ufe0f", "mallory\\ufe0f"}, {"mallory\u034f", "mallory\\u034f"}}) {
            CliRun status = CliRun.of(ENV, "status", TestTokens.hs256(sub[0]));
            assertTrue(status.out().startsWith("valid: sub=" + sub[1] + " "), status.out());
            CliRun raw = CliRun.of(ENV, "revoke-user", sub[0]);
            assertEquals(ExitCode.INVALID_INPUT, raw.exitCode(), raw.toString());
            assertTrue(raw.err().contains("[" + sub[1] + "]"), raw.err());
        }
        // A no-break space first or last, which strip() leaves: before, revoked "alice\u00a0", exit 0.
        for (String edge : List.of("alice\u00a0", "\u00a0alice", "alice\u202f")) {
            CliRun run = CliRun.of(ENV, "revoke-user", edge);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertTrue(run.err().contains("has surrounding spaces"), run.err());
        }
        // With --escaped, a space is written as status does: \u0020.
        CliRun spaced = CliRun.of(ENV, "revoke-user", "--escaped", "alice smith");
        assertEquals(ExitCode.INVALID_INPUT, spaced.exitCode(), spaced.toString());
        // "e30" is "{}", no JOSE header (none without alg): a user so named is a name, not a token.
        CliRun shaped = CliRun.of(ENV, "revoke-user", "e30.a.b");
        assertTrue(shaped.err().startsWith("jwtgate: Setting [revocation.store] is [memory]"), shaped.toString());
        // Roles are one field: no space, a comma between, one in a role written as its code.
        CliRun roles = CliRun.of(ENV, "status", TestTokens.hs256("mallory", "a", "sub=alice x", "b,c"));
        assertTrue(roles.out().contains(" roles=[a,b\\u002cc,sub=alice\\u0020x] issued "), roles.out());
    }

    /** The twelfth review's cases. */
    @Test
    void whenASubHoldsAJoinerOrIsShapedLikeATokenOrIsADashOrHelpThenStatusShowsItAndItCanBeRevokedRight() {
        // "admin" and U+200D printed raw read as admin: the operator revoked the real admin, exit 0.
        CliRun joiner = CliRun.of(ENV, "status", TestTokens.hs256("admin\u200d"));
        assertTrue(joiner.out().startsWith("valid: sub=admin\\u200d "), joiner.out());
        // Shaped like a token: printed with its dots as codes, revoked with --escaped; without it, refused.
        String shaped = "eyJhbGciOiJub25lIn0.x.y";
        CliRun status = CliRun.of(ENV, "status", TestTokens.hs256(shaped));
        assertTrue(status.out().startsWith("valid: sub=eyJhbGciOiJub25lIn0\\u002ex\\u002ey "), status.out());
        CliRun escaped = CliRun.of(ENV, "revoke-user", "--escaped", "eyJhbGciOiJub25lIn0\\u002ex\\u002ey");
        assertTrue(escaped.err().startsWith("jwtgate: Setting [revocation.store] is [memory]"), escaped.toString());
        CliRun unescaped = CliRun.of(ENV, "revoke-user", "eyJhbGciOiJub25lIn0\\u002ex\\u002ey");
        assertEquals(ExitCode.INVALID_INPUT, unescaped.exitCode(), unescaped.toString());
        // A user named -: with --escaped.
        CliRun dash = CliRun.of(ENV, "revoke-user", "--escaped", "--", "-");
        assertTrue(dash.err().startsWith("jwtgate: Setting [revocation.store] is [memory]"), dash.toString());
        // A sub -h beside other arguments: the usage and exit 0 before, nobody revoked.
        // With settings, --escaped or nothing else beside it too (the thirteenth review).
        for (String[] args : new String[][] {{"revoke-user", "-h", "--reason", "why"}, {"revoke-user", "alice", "--help"},
                {"revoke-token", "--help", "--jti", "j"}, {"revoke-user", "-h"}, {"revoke-user", "--escaped", "--help"},
                {"--set", "redis.timeout-ms=900", "revoke-user", "-h"}, {"--verbose", "revoke-token", "-h"}}) {
            CliRun help = CliRun.of(ENV, args);
            assertEquals(ExitCode.INVALID_INPUT, help.exitCode(), help.toString());
            assertTrue(help.err().startsWith("jwtgate: revoke-"), help.err());
            assertTrue(help.err().contains(" takes no --help; nothing was done"), help.err());
        }
        assertEquals(ExitCode.OK, CliRun.of(ENV, "--help").exitCode());
        assertEquals(ExitCode.OK, CliRun.of(ENV, "status", "--help").exitCode());
        CliRun named = CliRun.of(ENV, "revoke-user", "--reason", "why", "--", "-h");
        assertTrue(named.err().startsWith("jwtgate: Setting [revocation.store] is [memory]"), named.toString());
        // Brackets of a role; an invisible U+2065.
        CliRun roles = CliRun.of(ENV, "status", TestTokens.hs256("mallory\u2065", "admin]x"));
        assertTrue(roles.out().startsWith("valid: sub=mallory\\u2065 "), roles.out());
        assertTrue(roles.out().contains(" roles=[admin\\u005dx] "), roles.out());
        // A refused option value is named, not its value: it may hold a secret.
        CliRun secret = CliRun.of(ENV, "--config", "--set=redis.password=hunter2-not-base64", "status", "-");
        assertEquals(ExitCode.INVALID_INPUT, secret.exitCode(), secret.toString());
        assertFalse(secret.err().contains("hunter2"), secret.err());
    }

    /** The thirteenth review's: a token glued to a name's characters; an empty role, a quote in a role. */
    @Test
    void whenATokenIsGluedToNameCharactersThenItIsATokenAndAnEmptyRoleShows() {
        String token = TestTokens.hs256("alice");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        // And text glued after it, which adds a dot (the fourteenth review: printed whole).
        for (String glued : List.of("sid_" + token, "x-" + token, "a.b_" + token, token + ".x", token + ".a.b.c",
                "sid_" + token + ".txt")) {
            CliRun run = CliRun.of(ENV, "revoke-user", glued);
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertTrue(run.err().contains("looks like a token"), run.err());
            assertFalse((run.out() + run.err()).contains(signature), run.toString());
        }
        // A header naming alg with an escape, which jose4j reads (the token path's review), alone or glued: before,
        // revoked as a user's name. (White space before the brace: alone, as before; glued, not looked for.)
        String claims = TestTokens.claims("alice").toJson();
        for (String header : List.of("{\"\\u0061lg\":\"HS256\"}", "{\"a\\u006cg\":\"HS256\"}", " {\"alg\":\"HS256\"}")) {
            String odd = RawJws.hs256(header, claims);
            String oddSignature = odd.substring(odd.lastIndexOf('.') + 1);
            for (String given : header.startsWith(" ") ? List.of(odd) : List.of(odd, "sid_" + odd, "sid_x" + odd)) {
                CliRun run = CliRun.of(ENV, "revoke-user", given);
                assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), header + ": " + run);
                assertTrue(run.err().contains("looks like a token"), run.err());
                assertFalse((run.out() + run.err()).contains(oddSignature), run.toString());
            }
        }
        for (CliRun run : List.of(CliRun.of(ENV, "gen-secret", "--bits", token + ".x"), CliRun.of(ENV, "check-config",
                token + ".txt"))) {
            assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
            assertFalse(run.err().contains(signature), run.toString());
        }
        // A sub holding one is printed with its dots as codes.
        CliRun inner = CliRun.of(ENV, "status", TestTokens.hs256(token + ".x"));
        assertFalse(inner.out().contains(signature + "."), inner.out());
        assertTrue(inner.out().contains("\\u002e"), inner.out());
        // An empty role is no role (the filter drops it); a quote in one is written as its code.
        CliRun roles = CliRun.of(ENV, "status", TestTokens.hs256("mallory", "", "a\"b"));
        assertTrue(roles.out().contains(" roles=[a\\u0022b] "), roles.out());
        CliRun none = CliRun.of(ENV, "status", TestTokens.hs256("mallory"));
        assertTrue(none.out().contains(" roles=[] "), none.out());
    }

    @Test
    void whenASecondTokenFollowsMoreThanOneMebibyteOfBlankLinesThenStandardInputIsStillRefused() {
        // The rest of standard input was read up to 1 MiB: past that the first token was taken and a second one, after
        // the blank lines, left valid without a word (found by a review).
        Map<String, String> env = Map.of("JWTGATE_JWT_SECRET", TestTokens.SECRET, "JWTGATE_JWT_ISSUER", TestTokens.ISSUER,
                "JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE, "JWTGATE_REVOCATION_STORE", "memory");
        String stdin = TestTokens.hs256("alice") + "\n" + "\n".repeat((1 << 20) + 16) + TestTokens.hs256("bob") + "\n";
        CliRun run = CliRun.withStdin(env, stdin, "status", "-");
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertEquals("jwtgate: Standard input goes on for more than 1048576 blank characters after the token: give the"
                + " token alone (nothing was done)", run.err().strip());
        assertEquals("", run.out());
        String fewer = TestTokens.hs256("alice") + "\n" + "\n".repeat(1 << 20);
        assertEquals(ExitCode.OK, CliRun.withStdin(env, fewer, "status", "-").exitCode(), "1 MiB of them is read");
    }

    @Test
    void whenTheTokenLacksSubAndJtiThenStatusLeavesThemOutNotPrintingNull() {
        // With revocation.store=none a token may lack both: printed as sub=null jti=null, it read as one whose sub and
        // jti are the string "null" (found by a review).
        Map<String, String> env = Map.of("JWTGATE_JWT_SECRET", TestTokens.SECRET, "JWTGATE_JWT_ISSUER", TestTokens.ISSUER,
                "JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE, "JWTGATE_REVOCATION_STORE", "none",
                "JWTGATE_JWT_REQUIRED_CLAIMS", "exp,iat", "JWTGATE_CLAIMS_PRINCIPAL", "email");
        JwtClaims absent = TestTokens.claims("ignored");
        absent.unsetClaim("sub");
        absent.unsetClaim("jti");
        absent.setStringClaim("email", "e@example.com");
        JwtClaims named = TestTokens.claims("null");
        named.setJwtId("null");
        named.setStringClaim("email", "e@example.com");
        CliRun without = CliRun.of(env, "status", TestTokens.hs256(absent));
        CliRun withNullStrings = CliRun.of(env, "status", TestTokens.hs256(named));
        assertEquals(ExitCode.OK, without.exitCode(), without.toString());
        assertTrue(without.out().startsWith("valid: iss=" + TestTokens.ISSUER + " principal=e@example.com "), without.out());
        assertTrue(withNullStrings.out().startsWith("valid: sub=null iss=" + TestTokens.ISSUER + " jti=null principal="),
                withNullStrings.out());
    }
}
