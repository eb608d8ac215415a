package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.process.BoundedCommands;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The CLI jar as cron or a systemd unit runs it: no LANG, LC_ALL=C. On Linux the JVM (17 and 25 alike) then decodes the
 * environment, -D properties, arguments and file names as ASCII: each byte of "é" becomes U+FFFD, and a file name
 * with "ü" cannot be opened at all. Bytes are written with printf so that the test JVM's own locale plays no part.
 */
class NoUtf8LocaleIT {

    private static final CliJar CLI = CliJar.locate();

    @TempDir
    Path directory;

    private static BoundedCommands.Finished runWithoutLocale(String script) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script);
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_") || name.startsWith("LC_")
                || name.equals("LANG") || name.equals("LANGUAGE"));
        builder.environment().put("LC_ALL", "C");
        return BoundedCommands.run(builder, Duration.ofSeconds(60));
    }

    @Test
    void whenTheSecretVariableHoldsNonAsciiTextWithoutALocaleThenExit2NamingItNotEveryTokenSignatureInvalid()
            throws Exception {
        // JWTGATE_JWT_SECRET=sécret-… reaches the JVM as "s\uFFFD\uFFFDcret-…": another HMAC key. Before: the command
        // (and a filter started so) took it, and every token signed with the real secret was "SIGNATURE_INVALID".
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux");
        String secret = "sécret-éééé-0123456789-abcdefghijklmnop";
        String token = TestTokens.sign(TestTokens.claims("josé"), "HS256", TestTokens.hmacKey(secret), jws -> { });
        Path tokenFile = directory.resolve("token.txt");
        Files.writeString(tokenFile, token + "\n");
        BoundedCommands.Finished cli = runWithoutLocale("JWTGATE_JWT_SECRET=\"$(printf 's\\303\\251cret-\\303\\251\\303\\251"
                + "\\303\\251\\303\\251-0123456789-abcdefghijklmnop')\" JWTGATE_JWT_ISSUER='" + TestTokens.ISSUER
                + "' JWTGATE_REVOCATION_STORE=none exec " + CLI.command() + " status - < '" + tokenFile + "'");
        String output = cli.output();
        assertEquals(ExitCode.INVALID_INPUT.status(), cli.exitValue(), output);
        assertTrue(output.contains("[jwt.secret]") && output.contains("U+FFFD"), output);
    }

    @Test
    void whenAFileReferenceNamesANonAsciiPathWithoutALocaleThenTheMessageSaysWhyAsForConfig() throws Exception {
        // --config geheimnis-ü/… says "no file name this JVM can use (…); with characters beyond ASCII, run it with a
        // UTF-8 locale, e.g. LC_ALL=C.UTF-8". The same path in ${file:…} said only "InvalidPathException".
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux");
        BoundedCommands.Finished mkdir = runWithoutLocale("cd '" + directory + "' && mkdir \"$(printf 'geheimnis-\\303\\274')\""
                + " && printf '" + TestTokens.SECRET + "\\n' > \"$(printf 'geheimnis-\\303\\274')/secret.txt\"");
        assertEquals(0, mkdir.exitValue(), mkdir.output());
        Path properties = directory.resolve("gate.properties");
        Files.writeString(properties, "jwt.secret=${file:" + directory + "/geheimnis-ü/secret.txt}\njwt.issuer="
                + TestTokens.ISSUER + "\nrevocation.store=none\n", StandardCharsets.UTF_8);
        BoundedCommands.Finished cli = runWithoutLocale("exec " + CLI.command() + " check-config '" + properties + "'");
        String output = cli.output();
        assertEquals(ExitCode.INVALID_INPUT.status(), cli.exitValue(), output);
        assertTrue(output.contains("UTF-8 locale"), output);
    }

    @Test
    void whenTheActorHoldsNonAsciiTextWithoutALocaleThenExit2AsForTheSubjectNotAnAuditLineOfU_FFFD() throws Exception {
        // --sub josé under LC_ALL=C is refused (exit 2, "holds U+FFFD … Run it with a UTF-8 locale"); --actor 'Ömer
        // Yılmaz' was taken: against a real cluster the audit trail said actor="\uFFFD\uFFFDmer Y\uFFFD\uFFFDlmaz",
        // exit 0, who revoked lost. Here nothing listens at redis.nodes: the refusal must come before Redis is asked
        // (as --sub's does), so exit 3 means the actor passed the checks.
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux");
        int closedPort = org.jwtgate.testkit.process.ServerProcesses.freeLoopbackPort();
        BoundedCommands.Finished cli = runWithoutLocale("JWTGATE_JWT_SECRET='" + TestTokens.SECRET + "' JWTGATE_JWT_ISSUER='"
                + TestTokens.ISSUER + "' JWTGATE_REVOCATION_STORE=redis-cluster JWTGATE_REDIS_NODES=127.0.0.1:" + closedPort
                + " exec " + CLI.command() + " revoke-token --jti j-1 --sub alice --exp "
                + (java.time.Instant.now().getEpochSecond() + 600) + " --actor"
                + " \"$(printf '\303\226mer Y\304\261lmaz')\" --reason outage");
        String output = cli.output();
        assertEquals(ExitCode.INVALID_INPUT.status(), cli.exitValue(), output);
        assertTrue(output.contains("--actor") && output.contains("U+FFFD"), output);
    }
}
