package org.jwtgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.internal.log.AuditSource;
import org.jwtgate.internal.web.TokenAuthentication;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.RevocationUnconfirmedException;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * docs/monitoring.md's audit trail shows one example line per kind of event; a SIEM parses them, so each example's
 * event and keys, in their order, and its kind, outcome and check, are those of the line the code writes for it.
 */
class AuditDocsTest {

    private static final Path PAGE = Path.of("..", "docs", "monitoring.md");
    /** An audit line's keys, {@code AUDIT <event> k1=… k2="…" …}, with the value of those whose values are a fixed set. */
    private static final Pattern KEY = Pattern.compile(" ([a-z-]+)=((?<=kind=|outcome=|check=)[a-z-]+)?");

    @Test
    void whenThePageShowsAuditLinesThenEachHasTheEventAndKeysTheCodeWrites() throws Exception {
        List<List<String>> documented = new ArrayList<>();
        String page = Files.readString(PAGE);
        String trail = page.substring(page.indexOf("## The audit trail"), page.indexOf("## Health and the readiness probe"));
        trail.lines().filter(line -> line.startsWith("AUDIT ")).forEach(line -> documented.add(shape(line)));

        List<List<String>> written = new ArrayList<>();
        for (String line : auditLines(AuditDocsTest::writeOneOfEach)) {
            written.add(shape(line.substring(line.indexOf("AUDIT "))));
        }
        assertEquals(written, documented, "docs/monitoring.md's audit examples, in the order the test writes them");
    }

    /** The events of the page's examples, in its order. */
    private static void writeOneOfEach() {
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(TestTokens.settings()))) {
            AuditSource shop = AuditSource.of(gate.revocation());
            shop.identify("jwtgate", "/shop"); // as a filter names its gate's service at start
            JwtPrincipal alice = gate.verify(TestTokens.hs256("alice"));
            gate.revocation().by("admin:bob", "laptop stolen").revoke(alice);
            gate.revocation().by("alice", "log out everywhere").revokeUser("alice");
            assertThrows(RevocationUnconfirmedException.class,
                    () -> failing(gate, new RevocationUnconfirmedException("WAIT refused", 1, null)).by("admin:bob", "x")
                            .revokeUser("alice"));
            assertThrows(RevocationUnavailableException.class,
                    () -> failing(gate, new RevocationUnavailableException("down")).by("admin:bob", "x").revoke(alice));
            new TokenAuthentication.Verified(alice, true, "down", false, null, null, shop).auditUncheckedPasses();
            new TokenAuthentication.Verified(alice, false, null, true, "down", null, shop).auditUncheckedPasses();
        }
    }

    /** A revocation service whose store throws {@code failure} on every write. */
    private static RevocationService failing(JwtGate gate, RuntimeException failure) {
        RevocationStore store = (RevocationStore) Proxy.newProxyInstance(AuditDocsTest.class.getClassLoader(),
                new Class<?>[] {RevocationStore.class}, (proxy, method, args) -> {
                    throw failure;
                });
        RevocationService service = new RevocationService(store, gate.config().revocation(), gate.config().verification(),
                Clock.systemUTC());
        AuditSource.of(service).identify("jwtgate", "/shop");
        return service;
    }

    /** {@code [event, kind=token, sub, …]} of an audit line. */
    private static List<String> shape(String line) {
        List<String> shape = new ArrayList<>(List.of(line.split(" ")[1]));
        Matcher key = KEY.matcher(line);
        while (key.find()) {
            shape.add(key.group(2) == null ? key.group(1) : key.group(1) + "=" + key.group(2));
        }
        return shape;
    }

    /** The audit lines {@code run} writes to standard error, where the tests' SLF4J provider writes the log. */
    private static List<String> auditLines(Runnable run) {
        return CapturedLog.during(run::run).lines().stream().filter(line -> line.contains("AUDIT ")).toList();
    }
}
