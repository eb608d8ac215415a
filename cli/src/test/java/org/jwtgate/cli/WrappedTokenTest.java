package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A token broken as it was pasted (wrapped at 76 columns by a mail or a ticket, {@code base64 -w76}, or with a
 * space or a zero-width space inside), given where the CLI takes no token. The audit trail hides such a token
 * (monitoring.md, "also one broken as it was pasted"); the CLI's own check ({@code TokenInput.looksLikeToken}) did
 * not, so its error messages printed the token (operations.md: "An error message never prints an argument that looks
 * like a token"), and {@code revoke-user} took it as a subject instead of refusing it as a token.
 */
class WrappedTokenTest {

    private static final Map<String, String> ENV = Map.of(
            "JWTGATE_JWT_SECRET", TestTokens.SECRET,
            "JWTGATE_JWT_ISSUER", TestTokens.ISSUER,
            "JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE,
            "JWTGATE_REVOCATION_STORE", "memory");

    @TempDir
    Path dir;

    /** The token broken at column 76 (inside its payload), as pasted. */
    private static List<String> broken(String token) {
        String head = token.substring(0, 76);
        String tail = token.substring(76);
        return List.of(head + "\n" + tail, head + "\r\n" + tail, head + " " + tail, head + "\u200b" + tail);
    }

    @Test
    void whenATokenBrokenAsPastedIsGivenWhereNoTokenBelongsThenRefusedAsATokenWithoutPrintingIt() throws Exception {
        String token = TestTokens.hs256("alice", "user");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String exp = Long.toString(System.currentTimeMillis() / 1000 + 60);
        Path webXml = Files.writeString(dir.resolve("web.xml"), "<web-app><filter><filter-name>jwt</filter-name>"
                + "<filter-class>org.jwtgate.filter.JwtAuthFilter</filter-class></filter></web-app>");
        String store = "revocation.store=redis-cluster";
        String nodes = "redis.nodes=127.0.0.1:1"; // never reached: the arguments are checked first
        List<Executable> checks = new ArrayList<>();
        for (String pasted : broken(token)) {
            String shown = pasted.replace("\n", "\\n").replace("\r", "\\r").replace("\u200b", "\\u200b");
            Map<String, CliRun> runs = new java.util.LinkedHashMap<>();
            runs.put("revoke-user", CliRun.of(ENV, "revoke-user", "--", pasted));
            runs.put("check-config", CliRun.of(ENV, "check-config", pasted));
            runs.put("--sub", CliRun.of(ENV, "--set", store, "--set", nodes, "revoke-token", "--jti", "j", "--sub", pasted,
                    "--exp", exp));
            runs.put("--jti", CliRun.of(ENV, "--set", store, "--set", nodes, "revoke-token", "--jti", pasted, "--sub", "s",
                    "--exp", exp));
            runs.put("--exp", CliRun.of(ENV, "--set", store, "--set", nodes, "revoke-token", "--jti", "j", "--sub", "s",
                    "--exp", pasted));
            runs.put("--bits", CliRun.of(ENV, "gen-secret", "--bits", pasted));
            runs.put("--config", CliRun.of(ENV, "--config", pasted, "status", "x"));
            runs.put("--filter", CliRun.of(ENV, "check-config", webXml.toString(), "--filter", pasted));
            for (Map.Entry<String, CliRun> run : runs.entrySet()) {
                CliRun result = run.getValue();
                checks.add(() -> assertEquals(ExitCode.INVALID_INPUT, result.exitCode(),
                        run.getKey() + " " + shown + " -> " + result));
                checks.add(() -> assertFalse((result.out() + result.err()).contains(signature),
                        "the token is printed: " + run.getKey() + " " + shown + " -> " + result));
                if (!run.getKey().equals("--bits") && !run.getKey().equals("--config") && !run.getKey().equals("--filter")) {
                    checks.add(() -> assertTrue(result.err().contains("looks like a token"),
                            run.getKey() + " " + shown + " -> " + result));
                }
            }
        }
        assertAll(checks);
    }
}
