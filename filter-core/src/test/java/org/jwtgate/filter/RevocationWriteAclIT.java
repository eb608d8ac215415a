package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jwtgate.engine.Health;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user whose ACL allows the checks' {@code MGET} but not the revocations' script ({@code +eval}) or one of its
 * commands ({@code GET}, {@code PTTL}, {@code SET}; allowlist: {@code DEL}): before, the filter started, health said
 * UP, and every revoke and revokeUser failed for ever with RevocationUnavailableException (documented as "retry"), so
 * no logout took effect while monitoring was green (a probe's find). Now a WARN at start names redis.user and the
 * refusal, and health is DEGRADED naming it, at start as after an ACL changed at run time. Not a refused start: the
 * checks are served, and a read-only user (the CLI's status) needs no more.
 */
class RevocationWriteAclIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final String USER = "jwtgate-writes";
    private static final String PASSWORD = "writes-secret-1";

    @AfterEach
    void dropUser() {
        acl("DELUSER", USER);
    }

    @Test
    void whenTheAclLacksARevocationRightThenAWarnAndHealthNameItAndTheDocumentedAclStarts() throws Exception {
        boolean aclCheckCmd = REDIS.cluster().binary().majorVersion() >= 7; // Redis 6: the probe sees +eval and reads
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"-eval", "'eval'", "denylist"});
        if (aclCheckCmd) {
            cases.add(new String[] {"-set", "'set'", "denylist"});
            cases.add(new String[] {"-pttl", "'pttl'", "denylist"});
            cases.add(new String[] {"-del", "'del'", "allowlist"});
            cases.add(new String[] {"-spublish", "'spublish'", "denylist"});
        }
        for (String[] refused : cases) {
            acl(documentedRule());
            acl("SETUSER", USER, refused[0]);
            CapturedLog log = CapturedLog.during(() -> {
                try (JettyApp app = JettyApp.startNamed("writes-refused", settings("revocation.mode", refused[2]))) {
                    String token = TestTokens.hs256("wendy");
                    if (refused[2].equals("allowlist")) {
                        app.filter().revocationService().register(ClusterApps.principal(app, token)); // SET alone
                    }
                    assertEquals(200, app.getWithToken("/api", token).statusCode(), "the checks are served");
                    assertThrows(RevocationUnavailableException.class,
                            () -> app.filter().revocationService().revoke(ClusterApps.principal(app, token)));
                    String store = awaitStatus(app, Health.Status.DEGRADED).details().get("revocation-store");
                    assertTrue(store.contains("revocations refused: NOPERM") && store.contains(refused[1]),
                            refused[0] + ": " + store);
                }
            });
            String warn = log.warnings().stream().filter(l -> l.contains("refuses the revocations")).findFirst()
                    .orElse("no WARN: " + log.text());
            assertTrue(warn.contains("redis.user=[" + USER + "]") && warn.contains(refused[1]) && warn.contains("NOPERM"),
                    refused[0] + ": " + warn);
            assertFalse(log.text().contains(PASSWORD), "never the password");
            acl("DELUSER", USER);
        }

        // Allowlist mode announces nothing: an ACL without the channel's right is all it needs.
        if (aclCheckCmd) {
            acl(documentedRule());
            acl("SETUSER", USER, "-spublish");
            try (JettyApp app = JettyApp.startNamed("writes-allowlist", settings("revocation.mode", "allowlist"))) {
                String token = TestTokens.hs256("wilma");
                app.filter().revocationService().register(ClusterApps.principal(app, token));
                app.filter().revocationService().revoke(ClusterApps.principal(app, token));
                assertEquals(401, app.getWithToken("/api", token).statusCode(), "allowlist: revoked");
                assertEquals(Health.Status.UP, awaitStatus(app, Health.Status.UP).status());
            }
            acl("DELUSER", USER);
        }

        // The ACL line docs/revocation.md gives starts, in both modes, and revokes; so does one that keeps the health
        // keys read-only (they are never written), the probe of the writes naming a key among the revocations' own.
        String[] documented = documentedRule();
        String[] healthReadOnly = String.join(" ", documented).replace(" ~" + ClusterApps.PREFIX + "* ",
                " ~" + ClusterApps.PREFIX + "{* ~" + ClusterApps.PREFIX + "events %R~" + ClusterApps.PREFIX + "health:* ")
                .split(" "); // the events channel too: Redis 7.0 checks SPUBLISH's channel against the key patterns
        for (String[] rule : List.of(documented, healthReadOnly)) {
            acl(rule);
            for (String mode : List.of("denylist", "allowlist")) {
                try (JettyApp app = JettyApp.startNamed("writes-ok", settings("revocation.mode", mode))) {
                    String token = TestTokens.hs256("wanda-" + mode);
                    if (mode.equals("allowlist")) {
                        app.filter().revocationService().register(ClusterApps.principal(app, token));
                    }
                    assertEquals(200, app.getWithToken("/api", token).statusCode(), mode);
                    app.filter().revocationService().revoke(ClusterApps.principal(app, token));
                    assertEquals(401, app.getWithToken("/api", token).statusCode(), mode + ": revoked");
                    assertEquals(Health.Status.UP, awaitStatus(app, Health.Status.UP).status());
                }
            }
            acl("DELUSER", USER);
        }
    }

    @Test
    void whenTheAclLosesARevocationRightAtRunTimeThenHealthIsDegradedNamingItAndUpOnceAllowed() throws Exception {
        acl(documentedRule());
        try (JettyApp app = JettyApp.startNamed("writes-runtime", settings("revocation.near-cache", "false"))) {
            String token = TestTokens.hs256("walter");
            assertEquals(200, app.getWithToken("/api", token).statusCode());
            awaitStatus(app, Health.Status.UP);

            acl("SETUSER", USER, "-eval");
            assertThrows(RevocationUnavailableException.class,
                    () -> app.filter().revocationService().revoke(ClusterApps.principal(app, token)));
            assertEquals(200, app.getWithToken("/api", token).statusCode(), "the checks still answer");
            Health degraded = awaitStatus(app, Health.Status.DEGRADED);
            String store = degraded.details().get("revocation-store");
            assertTrue(store.startsWith("redis-cluster up (revocations refused: NOPERM") && store.contains("'eval'"),
                    "the refused right is named: " + degraded);
            assertFalse(degraded.toString().contains(USER) || degraded.toString().contains(PASSWORD),
                    "no user, no secret: " + degraded);

            acl("SETUSER", USER, "+eval");
            assertEquals("redis-cluster up", awaitStatus(app, Health.Status.UP).details().get("revocation-store"));
            app.filter().revocationService().revoke(ClusterApps.principal(app, token));
            assertEquals(401, app.getWithToken("/api", token).statusCode(), "revoked");
        }
    }

    private static Map<String, String> settings(String... extra) {
        List<String> all = new ArrayList<>(List.of("redis.user", USER, "redis.password", PASSWORD));
        all.addAll(List.of(extra));
        return ClusterApps.settings(REDIS.cluster().nodesSpec(), all.toArray(String[]::new));
    }

    /** docs/revocation.md's ACL line, for this test's user (the rig's prefix is the documented one). */
    private static String[] documentedRule() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "revocation.md"));
        String rule = page.lines().filter(line -> line.startsWith("ACL SETUSER jwtgate ")).findFirst().orElseThrow();
        assertTrue(rule.contains(" ~" + ClusterApps.PREFIX + "* "), rule);
        rule = rule.substring("ACL ".length()).replace("SETUSER jwtgate ", "SETUSER " + USER + " ")
                .replace(" >CHANGE-ME ", " >" + PASSWORD + " ");
        if (REDIS.cluster().binary().majorVersion() < 7) {
            rule = rule.replace("+spublish +ssubscribe", "+publish +subscribe");
        }
        return rule.split(" ");
    }

    private static void acl(String... args) {
        ClusterApps.acl(REDIS.cluster(), args);
    }

    private static Health awaitStatus(JettyApp app, Health.Status status) throws InterruptedException {
        return ClusterApps.awaitHealth(app, status);
    }
}
