package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliArgumentsTest {

    /** The environment holds every JWTGATE_* secret: a record's own toString printed them all. */
    @Test
    void whenTheEnvironmentIsPrintedThenNoValueIs() {
        CliEnvironment environment = new CliEnvironment(System.out, System.err, java.io.InputStream.nullInputStream(),
                Map.of("JWTGATE_JWT_SECRET", "env-Secret-Q7f-0123456789abcdefghij"), Map.of("jwtgate.redis.password", "pw-Q7f"));
        assertEquals("CliEnvironment[1 environment variables, 1 system properties]", environment.toString());
    }

    private static CliException refused(String... args) {
        CliException e = assertThrows(CliException.class, () -> CliArguments.parse(args));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        return e;
    }

    @Test
    void whenGlobalOptionsSurroundTheCommandThenAllAreParsed() {
        CliArguments args = CliArguments.parse("--config", "app.properties", "status", "--set", "jwt.issuer=https://i",
                "--verbose", "a.b.c", "--set=realm=r");
        assertEquals(CliArguments.Command.STATUS, args.command());
        assertEquals(Path.of("app.properties"), args.configFile());
        assertEquals(Map.of("jwt.issuer", "https://i", "realm", "r"), args.sets());
        assertTrue(args.verbose());
        assertEquals("a.b.c", args.operand());
    }

    @Test
    void whenSetValueContainsEqualsSignsThenOnlyTheFirstSeparates() {
        assertEquals("base64:YWJj==", CliArguments.parse("--set", "jwt.secret=base64:YWJj==", "gen-secret")
                .sets().get("jwt.secret"));
    }

    @Test
    void whenNoCommandThenUsageError() {
        assertTrue(refused().getMessage().contains("No command"));
        assertTrue(refused("--verbose").getMessage().contains("No command"));
    }

    @Test
    void whenOnlyHelpThenHelpWithoutCommand() {
        CliArguments args = CliArguments.parse("--help");
        assertTrue(args.help());
        assertNull(args.command());
    }

    @Test
    void whenHelpWithIncompleteCommandThenNoOperandCheck() {
        assertTrue(CliArguments.parse("check-config", "-h").help());
        // revoke-* refuse it: a subject "-h" would print the usage, exit 0, nobody revoked.
        assertTrue(refused("revoke-token", "-h").getMessage().startsWith("revoke-token takes no --help"));
    }

    @Test
    void whenUnknownCommandThenErrorListsTheCommands() {
        String message = refused("revoke").getMessage();
        assertTrue(message.contains("[revoke]") && message.contains("revoke-token") && message.contains("check-config"), message);
    }

    @Test
    void whenAMisspeltCommandThenTheErrorQuotesIt() {
        for (String word : List.of("revoke", "statuss", "revoke-users", "check", "rev")) {
            String message = refused(word).getMessage();
            assertTrue(message.startsWith("Unknown command [" + word + "]"), message);
        }
    }

    @Test
    void whenAPasswordBecomesTheCommandThenTheErrorDoesNotPrintIt() {
        // A space after --set redis.password= makes the password the first bare word: before, a word of up to 32
        // letters and digits was quoted back, a 32-character secret included.
        for (String secret : List.of("S3cretPassw0rd", "0123456789abcdefghijklmnopqrstuv", "hunter", "statusquo",
                "checkmate-now")) {
            String message = refused("--set", "redis.password=", secret, "status", "-").getMessage();
            assertTrue(message.startsWith("Unknown command (not shown") && !message.contains(secret), message);
        }
    }

    @Test
    void whenATokenIsGivenWhereTheCommandGoesThenTheErrorDoesNotPrintIt() {
        String token = org.jwtgate.testkit.tokens.TestTokens.hs256("alice");
        String message = refused(token).getMessage();
        assertTrue(message.startsWith("Unknown command (not shown") && message.contains("revoke-token"), message);
        assertTrue(!message.contains(token.substring(0, 20)), message);
    }

    @Test
    void whenAnUnknownOptionPrecedesTheCommandThenTheErrorNamesTheOptionNotTheCommand() {
        // A typo of --verbose must not take the command as its value and blame the operand.
        String message = refused("--verbos", "revoke-user", "alice").getMessage();
        assertTrue(message.startsWith("Unknown option [--verbos]") && !message.contains("alice"), message);
        message = refused("--frob", "status", "-").getMessage();
        assertTrue(message.startsWith("Unknown option [--frob]"), message);
    }

    @Test
    void whenAnUnknownOptionEndsTheLineThenTheErrorSaysUnknownNotThatItNeedsAValue() {
        String message = refused("status", "-", "--verbos").getMessage();
        assertTrue(message.startsWith("Unknown option [--verbos] for status"), message);
    }

    @Test
    void whenSetNamesUnknownKeyThenErrorSuggestsNearest() {
        String message = refused("--set", "jwt.isuer=x", "gen-secret").getMessage();
        assertTrue(message.contains("[jwt.isuer]") && message.contains("did you mean [jwt.issuer]"), message);
    }

    @Test
    void whenSetIsGivenASecretWhereTheKeyGoesThenTheErrorDoesNotPrintIt() {
        // `--set "jwt.secret $SECRET"` (a space for the =): gen-secret's base64 ends with =, so the key is the secret.
        String secret = "base64:g5n/tzQZ33lhWaQusyN5HC1pX97jbm/p/1MGe9E6t58=";
        for (String assignment : List.of("jwt.secret " + secret, secret, "jwt.secret: " + secret)) {
            String message = refused("--set", assignment, "gen-secret").getMessage();
            assertTrue(message.startsWith("Unknown setting (not shown") && message.contains("--set"), message);
            assertFalse(message.contains("g5n/tzQZ33lhWaQ"), message);
        }
    }

    /**
     * The "looks like a setting name" regex recurses once per dashed word: a --set key of a few KB of "-a" threw a
     * StackOverflowError (a stack trace, exit 1) instead of this one-line refusal.
     */
    @Test
    void whenASetKeyIsALongDashedWordThenRefusedWithoutOverflowingTheStack() {
        String message = refused("--set", "x.a" + "-a".repeat(50_000) + "=1", "gen-secret").getMessage();
        assertTrue(message.startsWith("Unknown setting (not shown") && message.length() < 300, message);
    }

    @Test
    void whenSetHasNoEqualsSignThenError() {
        assertTrue(refused("--set", "jwt.issuer", "gen-secret").getMessage().contains("key=value"));
    }

    @Test
    void whenSameSettingSetTwiceThenError() {
        assertTrue(refused("--set", "realm=a", "--set", "realm=b", "gen-secret").getMessage().contains("twice"));
    }

    @Test
    void whenOptionLacksItsValueThenError() {
        assertTrue(refused("gen-secret", "--bits").getMessage().contains("needs a value"));
        assertTrue(refused("status", "x", "--config").getMessage().contains("[--config] needs a value"));
    }

    @Test
    void whenOptionBelongsToAnotherCommandThenError() {
        String message = refused("status", "a.b.c", "--bits", "256").getMessage();
        assertTrue(message.contains("[--bits]") && message.contains("usage: status"), message);
    }

    @Test
    void whenFlagGetsAValueThenError() {
        assertTrue(refused("--verbose=yes", "gen-secret").getMessage().contains("takes no value"));
    }

    @Test
    void whenBitsIsNotAnHmacSizeThenError() {
        assertTrue(refused("gen-secret", "--bits", "128").getMessage().contains("256, 384 or 512"));
        assertTrue(refused("gen-secret", "--bits=lots").getMessage().contains("[lots]"));
    }

    @Test
    void whenBitsOmittedThen256() {
        assertEquals(256, CliArguments.parse("gen-secret").secretBits());
        assertEquals(512, CliArguments.parse("gen-secret", "--bits=512").secretBits());
    }

    @Test
    void whenRevokeTokenByIdentityThenAllThreeOptionsParsed() {
        CliArguments args = CliArguments.parse("revoke-token", "--jti", "id-1", "--sub", "alice", "--exp", "1767225600");
        assertEquals("id-1", args.option("--jti"));
        assertEquals("alice", args.option("--sub"));
        assertEquals(1767225600L, args.expiresAtEpochSeconds());
        assertTrue(args.operands().isEmpty());
    }

    @Test
    void whenRevokeTokenByIdentityIsIncompleteThenErrorNamesTheMissingOption() {
        assertTrue(refused("revoke-token", "--jti", "id-1", "--exp", "1767225600").getMessage().contains("[--sub]"));
    }

    @Test
    void whenRevokeTokenGetsTokenAndIdentityThenError() {
        assertTrue(refused("revoke-token", "a.b.c", "--jti", "x", "--sub", "s", "--exp", "5").getMessage().contains("not both"));
    }

    @Test
    void whenRevokeTokenGetsNothingThenError() {
        assertTrue(refused("revoke-token").getMessage().contains("needs a token"));
    }

    @Test
    void whenExpIsNotEpochSecondsThenError() {
        assertTrue(refused("revoke-token", "--jti", "x", "--sub", "s", "--exp", "tomorrow").getMessage().contains("epoch seconds"));
        assertTrue(refused("revoke-token", "--jti", "x", "--sub", "s", "--exp", "-5").getMessage().contains("[-5]"));
    }

    @Test
    void whenDashThenItIsTheStdinOperand() {
        assertEquals(CliArguments.STDIN, CliArguments.parse("status", "-").operand());
    }

    @Test
    void whenDoubleDashThenFollowingArgumentsAreOperands() {
        assertEquals("--odd-subject", CliArguments.parse("revoke-user", "--", "--odd-subject").operand());
    }

    @Test
    void whenTooManyOperandsThenUsageIsShown() {
        assertTrue(refused("revoke-user", "alice", "bob").getMessage().contains("usage: revoke-user <sub>"));
        assertTrue(refused("gen-secret", "extra").getMessage().contains("Wrong number"));
    }

    @Test
    void whenConfigGivenTwiceOrAlsoAsSetThenError() {
        assertTrue(refused("--config", "a", "--config", "b", "gen-secret").getMessage().contains("twice"));
        assertTrue(refused("--config", "a", "--set", "config.file=b", "gen-secret").getMessage().contains("not both"));
    }

    @Test
    void whenCheckConfigWithFilterOptionThenParsed() {
        CliArguments args = CliArguments.parse("check-config", "web.xml", "--filter", "api");
        assertEquals("api", args.option("--filter"));
        assertEquals(List.of("web.xml"), args.operands());
        assertFalse(args.verbose());
    }

    /**
     * `revoke-user "$SUB" --reason "$WHY"` with the sub "--actor": --actor took "--reason" as its value and WHY became
     * the subject (the eleventh review: another user revoked, exit 0). An option's value never looks like an option.
     */
    @Test
    void whenAnOptionsValueLooksLikeAnOptionThenRefusedAndTheNameValueFormOrDoubleDashIsTheWay() {
        for (String[] args : new String[][] {{"revoke-user", "--actor", "--reason", "carol"},
                {"revoke-user", "--reason", "--actor", "ops-bob"}, {"revoke-user", "alice", "--reason", "-v"},
                {"--config", "--verbose", "status", "-"}}) {
            CliException e = assertThrows(CliException.class, () -> CliArguments.parse(args), String.join(" ", args));
            assertTrue(e.getMessage().contains("looks like an option: give such a value as"), e.getMessage());
        }
        CliArguments parsed = CliArguments.parse("revoke-user", "--reason=--urgent", "--", "--actor");
        assertEquals("--actor", parsed.operand());
        assertEquals("--urgent", parsed.option("--reason"));
    }
}
