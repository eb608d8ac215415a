package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Where settings come from and in which order: environment variable, system property,
 * properties file, init-param, default; and the {@code ${env:}}, {@code ${sys:}} and
 * {@code ${file:}} references. Uses {@link ConfigSources#of} only: never the real environment.
 */
class SettingsLoaderTest {

    @TempDir
    Path directory;

    private Path propertiesFile(String content) throws IOException {
        Path file = directory.resolve("jwtgate-" + System.nanoTime() + ".properties");
        Files.writeString(file, content);
        return file;
    }

    private static Settings load(Map<String, String> initParams, Map<String, String> env, Map<String, String> sys) {
        return SettingsLoader.load(initParams, ConfigSources.of(env, sys));
    }

    private static String failure(Map<String, String> initParams, Map<String, String> env, Map<String, String> sys) {
        return assertThrows(ConfigurationException.class, () -> load(initParams, env, sys)).getMessage();
    }

    /** Why the properties file {@code config.file} names, and nothing else, is refused. */
    private static String failureOf(Path propertiesFile) {
        return failure(Map.of(ConfigKeys.CONFIG_FILE, propertiesFile.toString()), Map.of(), Map.of());
    }

    // ---- precedence ------------------------------------------------------------------------

    @Test
    void whenKeySetEverywhereThenEnvironmentWinsThenSystemPropertyThenFileThenInitParamThenDefault() throws IOException {
        Path file = propertiesFile("realm=from-file\n");
        Map<String, String> init = new HashMap<>(Map.of(ConfigKeys.REALM, "from-init", ConfigKeys.CONFIG_FILE, file.toString()));
        Map<String, String> env = new HashMap<>(Map.of("JWTGATE_REALM", "from-env"));
        Map<String, String> sys = new HashMap<>(Map.of("jwtgate.realm", "from-sys"));

        Settings settings = load(init, env, sys);
        assertEquals("from-env", settings.get(ConfigKeys.REALM));
        assertEquals("environment variable JWTGATE_REALM", settings.origin(ConfigKeys.REALM));

        env.clear();
        settings = load(init, env, sys);
        assertEquals("from-sys", settings.get(ConfigKeys.REALM));
        assertEquals("system property jwtgate.realm", settings.origin(ConfigKeys.REALM));

        sys.clear();
        settings = load(init, env, sys);
        assertEquals("from-file", settings.get(ConfigKeys.REALM));
        assertTrue(settings.origin(ConfigKeys.REALM).startsWith("properties file"), settings.origin(ConfigKeys.REALM));

        init.remove(ConfigKeys.CONFIG_FILE);
        settings = load(init, env, sys);
        assertEquals("from-init", settings.get(ConfigKeys.REALM));
        assertEquals("init-param", settings.origin(ConfigKeys.REALM));

        init.clear();
        settings = load(init, env, sys);
        assertEquals("jwtgate", settings.get(ConfigKeys.REALM));
        assertEquals("default", settings.origin(ConfigKeys.REALM));
        assertFalse(settings.isSet(ConfigKeys.REALM));
    }

    @Test
    void whenEnvironmentNameHasDashesThenTheyBecomeUnderscores() {
        Settings settings = load(Map.of(), Map.of("JWTGATE_JWT_CLOCK_SKEW_SECONDS", "5"), Map.of());
        assertEquals("5", settings.get(ConfigKeys.JWT_CLOCK_SKEW_SECONDS));
    }

    @Test
    void whenConfigFileNamedByEnvironmentOrSystemPropertyThenItIsRead() throws IOException {
        Path file = propertiesFile("jwt.issuer=https://from-file\n");
        assertEquals("https://from-file",
                load(Map.of(), Map.of("JWTGATE_CONFIG_FILE", file.toString()), Map.of()).get(ConfigKeys.JWT_ISSUER));
        assertEquals("https://from-file",
                load(Map.of(), Map.of(), Map.of("jwtgate.config.file", file.toString())).get(ConfigKeys.JWT_ISSUER));
    }

    @Test
    void whenConfigFileIsAReferenceThenItIsExpandedFirst() throws IOException {
        Path file = propertiesFile("jwt.issuer=https://via-reference\n");
        Settings settings = load(Map.of(ConfigKeys.CONFIG_FILE, "${env:APP_CONF}"), Map.of("APP_CONF", file.toString()), Map.of());
        assertEquals("https://via-reference", settings.get(ConfigKeys.JWT_ISSUER));
    }

    @Test
    void whenOtherVariablesAndPropertiesExistThenTheyAreIgnored() {
        Settings settings = load(Map.of(), Map.of("PATH", "/usr/bin", "JWTGATEX", "x", "HOME", "/root"),
                Map.of("java.version", "17", "jwtgatex.realm", "x"));
        assertEquals("jwtgate", settings.get(ConfigKeys.REALM));
    }

    @Test
    void whenValuesHaveSurroundingWhitespaceThenTrimmed() {
        assertEquals("https://issuer", load(Map.of(" jwt.issuer ", "  https://issuer \n"), Map.of(), Map.of())
                .get(ConfigKeys.JWT_ISSUER));
    }

    @Test
    void whenTwoNamesOfOneSourceDifferOnlyInSpacesThenRefused() {
        Map<String, String> initParams = new java.util.LinkedHashMap<>();
        initParams.put("jwt.issuer", "https://a");
        initParams.put("jwt.issuer ", "https://b");
        String message = failure(initParams, Map.of(), Map.of());
        assertTrue(message.contains("[jwt.issuer]") && message.contains("twice"), message);
    }

    @Test
    void whenTheConfigFileInitParamNameHasSurroundingSpacesThenTheFileIsStillRead() throws IOException {
        // Every other name is read stripped; config.file was looked up as written, so its file was skipped unseen
        // while the start-up line showed config.file as set.
        Path file = propertiesFile("jwt.issuer=https://from-file\n");
        Settings settings = load(Map.of(ConfigKeys.CONFIG_FILE + " ", file.toString(), ConfigKeys.JWT_ISSUER, "https://init"),
                Map.of(), Map.of());
        assertEquals("https://from-file", settings.get(ConfigKeys.JWT_ISSUER));
    }

    @Test
    void whenTheConfigFileSetsConfigFileWithATrailingEscapedSpaceThenRefusedAsWithout() throws IOException {
        // Before: "config.file\ =" passed the check (names are stripped later) and the start-up line named a file
        // that was never read.
        Path file = propertiesFile("config.file\\ =/tmp/other.properties\njwt.issuer=https://from-file\n");
        String message = failureOf(file);
        assertTrue(message.contains("cannot be set inside the properties file"), message);
    }

    @Test
    void whenALineBreakIsInsideAValueThatCannotSpanLinesThenRefused() {
        // Accepted, every token would fail its iss or aud check with nothing said at start-up; and the start-up
        // line, which writes a line break as a space, would not show it.
        for (String key : new String[] {ConfigKeys.JWT_ISSUER, ConfigKeys.JWT_TYPE, ConfigKeys.REDIS_KEY_PREFIX}) {
            String message = failure(Map.of(key, "https://a\nhttps://b"), Map.of(), Map.of());
            assertTrue(message.contains("[" + key + "]") && message.contains("U+000A"), message);
        }
        Map<String, String> values = new HashMap<>(Map.of(ConfigKeys.JWT_SECRET, "0123456789abcdef0123456789abcdef",
                ConfigKeys.JWT_ISSUER, "https://i", ConfigKeys.REVOCATION_STORE, "none"));
        values.put(ConfigKeys.JWT_AUDIENCE, "api-a\n    api-b");
        String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(values)).getMessage();
        assertTrue(message.contains("[jwt.audience]") && message.contains("spans lines"), message);
        // A list over several lines, commas at the ends, is fine.
        values.put(ConfigKeys.JWT_AUDIENCE, "api-a,\n    api-b");
        assertEquals(java.util.List.of("api-a", "api-b"), JwtGateConfig.of(values).verification().audiences());
    }

    @Test
    void whenAnInvisibleCharacterLiesBeyondTheBasicPlaneThenRefusedAsTheOthers() {
        // Tag characters (U+E0000-U+E007F) are format characters as U+200B is, but take two UTF-16 chars: each half
        // alone is a surrogate, not a format character, and the issuer with one pasted at its end was accepted.
        String message = failure(Map.of(ConfigKeys.JWT_ISSUER, "https://issuer" + new String(Character.toChars(0xE0041))),
                Map.of(), Map.of());
        assertTrue(message.contains("[jwt.issuer]") && message.contains("U+E0041") && message.contains("position 15"),
                message);
        // A visible character beyond the basic plane is fine.
        String rocket = new String(Character.toChars(0x1F680));
        assertEquals("team-" + rocket, load(Map.of(ConfigKeys.JWT_TYPE, "team-" + rocket), Map.of(), Map.of())
                .get(ConfigKeys.JWT_TYPE));
    }

    @Test
    void whenThePropertiesFileOrAReferencedFileIsNotUtf8ThenTheMessageSaysSo() throws IOException {
        // java.util.Properties reads a stream as ISO-8859-1 and many editors save .properties so: the message said
        // only "MalformedInputException".
        Path latin1 = directory.resolve("latin1.properties");
        Files.write(latin1, "jwt.issuer=https://z\u00fcrich.example\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String file = failure(Map.of(ConfigKeys.CONFIG_FILE, latin1.toString()), Map.of(), Map.of());
        assertTrue(file.contains("[config.file]") && file.contains(latin1.toString()) && file.contains("not UTF-8"), file);
        // A key file of raw random bytes (head -c 32 /dev/urandom).
        Path binary = directory.resolve("secret.bin");
        Files.write(binary, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xA0, (byte) 0xFF, 0x41});
        String secret = failure(Map.of(ConfigKeys.JWT_SECRET, "${file:" + binary + "}"), Map.of(), Map.of());
        assertTrue(secret.contains("[jwt.secret]") && secret.contains("not UTF-8") && secret.contains("base64:"), secret);
    }

    @Test
    void whenThePropertiesFileOrAReferencedFileIsUtf16ThenTheMessageNamesTheFileAndSaysItIsNotUtf8() throws IOException {
        // Without a byte-order mark, UTF-16 decodes as UTF-8 with a NUL in every other byte: the properties file was
        // refused as "Unknown setting (name not shown ...)", the secret file as "an invisible character U+0000 at
        // position 2; remove it", neither naming the file nor its encoding. With the mark, the bytes are not UTF-8.
        for (java.nio.charset.Charset utf16 : List.of(java.nio.charset.StandardCharsets.UTF_16LE,
                java.nio.charset.StandardCharsets.UTF_16)) {
            Path properties = directory.resolve("utf16.properties");
            Files.write(properties, "jwt.issuer=https://from-file\n".getBytes(utf16));
            String file = failure(Map.of(ConfigKeys.CONFIG_FILE, properties.toString()), Map.of(), Map.of());
            assertEquals("Cannot read [config.file] file [" + properties + "]: it is not UTF-8 text; save it as UTF-8"
                    + " (from init-param)", file);
            Path secret = directory.resolve("secret.txt");
            Files.write(secret, "file-secret-value-0123456789abcdef".getBytes(utf16));
            String value = failure(Map.of(ConfigKeys.JWT_SECRET, "${file:" + secret + "}"), Map.of(), Map.of());
            assertTrue(value.startsWith("Setting [jwt.secret] refers to file [" + secret + "], which is not UTF-8 text"),
                    value);
        }
    }

    @Test
    void whenThePropertiesFileOrAReferencedFileIsLargerThanOneMebibyteThenRefusedNamingTheFileAndTheLimit()
            throws IOException {
        // A configuration is kilobytes: /dev/zero or an archive named by mistake was read whole, to an OutOfMemoryError.
        Path big = propertiesFile("jwt.issuer=https://from-file\n#" + "x".repeat(1 << 20) + "\n");
        String file = failure(Map.of(ConfigKeys.CONFIG_FILE, big.toString()), Map.of(), Map.of());
        assertTrue(file.startsWith("Cannot read [config.file] file [" + big + "]: it is larger than 1 MiB (1048576 bytes)"),
                file);
        Path secret = directory.resolve("secret.txt");
        Files.writeString(secret, "s".repeat((1 << 20) + 1));
        String value = failure(Map.of(ConfigKeys.JWT_SECRET, "${file:" + secret + "}"), Map.of(), Map.of());
        assertTrue(value.startsWith("Setting [jwt.secret] refers to file [" + secret + "], which is larger than 1 MiB"),
                value);
        // The limit itself passes.
        Files.writeString(secret, "s".repeat(1 << 20));
        assertEquals(1 << 20, load(Map.of(ConfigKeys.JWT_SECRET, "${file:" + secret + "}"), Map.of(), Map.of())
                .get(ConfigKeys.JWT_SECRET).length());
    }

    @Test
    void whenTheConfigFileIsADeviceThatNeverEndsThenRefusedNamingIt() {
        assumeTrue(Files.isReadable(Path.of("/dev/zero")), "a system with /dev/zero");
        String message = failure(Map.of(ConfigKeys.CONFIG_FILE, "/dev/zero"), Map.of(), Map.of());
        assertTrue(message.startsWith("Cannot read [config.file] file [/dev/zero]: not a regular file (a device or a pipe)"),
                message);
    }

    @Test
    void whenThePropertiesFileStartsWithAByteOrderMarkThenItsFirstKeyIsRead() throws IOException {
        Path file = propertiesFile("\uFEFFjwt.issuer=https://from-file\n");
        assertEquals("https://from-file", load(Map.of(ConfigKeys.CONFIG_FILE, file.toString()), Map.of(), Map.of())
                .get(ConfigKeys.JWT_ISSUER));
    }

    @Test
    void whenConfigFileHasSurroundingWhitespaceThenItIsTrimmedAsEveryValue() throws IOException {
        Path file = propertiesFile("jwt.issuer=https://from-file\n");
        assertEquals("https://from-file", load(Map.of(ConfigKeys.CONFIG_FILE, "\n   " + file + "  \n"), Map.of(),
                Map.of()).get(ConfigKeys.JWT_ISSUER));
    }

    @Test
    void whenAReferencedFileStartsWithAByteOrderMarkThenItIsNotPartOfTheValue() throws IOException {
        Path secret = directory.resolve("secret.txt");
        Files.writeString(secret, "\uFEFFfile-secret-value-0123456789abcdef\n");
        assertEquals("file-secret-value-0123456789abcdef", load(Map.of(ConfigKeys.JWT_SECRET, "${file:" + secret + "}"),
                Map.of(), Map.of()).get(ConfigKeys.JWT_SECRET));
    }

    // ---- references --------------------------------------------------------------------------

    @Test
    void whenValuesReferToEnvironmentSystemPropertyAndFileThenExpanded() throws IOException {
        Path secretFile = directory.resolve("secret.txt");
        Files.writeString(secretFile, "  file-secret-value-0123456789abcdef\n\n");
        Map<String, String> init = Map.of(
                ConfigKeys.JWT_ISSUER, "https://${env:IDP_HOST}/realms/${sys:realm.name}",
                ConfigKeys.JWT_SECRET, "${file:" + secretFile + "}",
                ConfigKeys.REALM, "${env:REALM_NAME}");
        Settings settings = load(init, Map.of("IDP_HOST", "idp.example", "REALM_NAME", "shop"),
                Map.of("realm.name", "main"));
        assertEquals("https://idp.example/realms/main", settings.get(ConfigKeys.JWT_ISSUER));
        assertEquals("file-secret-value-0123456789abcdef", settings.get(ConfigKeys.JWT_SECRET));
        assertEquals("shop", settings.get(ConfigKeys.REALM));
    }

    @Test
    void whenReferenceInAnEnvironmentValueThenItIsExpandedToo() {
        Settings settings = load(Map.of(), Map.of("JWTGATE_JWT_SECRET", "${env:VAULT_SECRET}", "VAULT_SECRET", "abc"), Map.of());
        assertEquals("abc", settings.get(ConfigKeys.JWT_SECRET));
    }

    @Test
    void whenResolvedValueContainsDollarBraceThenItIsKeptLiterally() {
        Settings settings = load(Map.of(ConfigKeys.REDIS_PASSWORD, "${env:PW}"), Map.of("PW", "pa${ss}word"), Map.of());
        assertEquals("pa${ss}word", settings.get(ConfigKeys.REDIS_PASSWORD));
    }

    @Test
    void whenEnvironmentReferenceMissingThenMessageNamesKeyAndVariable() {
        String message = failure(Map.of(ConfigKeys.JWT_ISSUER, "${env:MISSING_ISSUER}"), Map.of(), Map.of());
        assertTrue(message.contains("[jwt.issuer]"), message);
        assertTrue(message.contains("[MISSING_ISSUER]"), message);
        assertTrue(message.contains("environment variable"), message);
    }

    @Test
    void whenSystemPropertyReferenceMissingThenMessageNamesKeyAndProperty() {
        String message = failure(Map.of(ConfigKeys.REALM, "${sys:no.such.property}"), Map.of(), Map.of());
        assertTrue(message.contains("[realm]"), message);
        assertTrue(message.contains("[no.such.property]"), message);
        assertTrue(message.contains("system property"), message);
    }

    @Test
    void whenFileReferenceMissingThenMessageNamesKeyAndPath() {
        String message = failure(Map.of(ConfigKeys.JWT_SECRET, "${file:/missing/jwt-secret}"), Map.of(), Map.of());
        assertTrue(message.contains("[jwt.secret]"), message);
        assertTrue(message.contains("[/missing/jwt-secret]"), message);
    }

    @Test
    void whenReferenceMalformedThenMessageNamesKeyAndValue() {
        String message = failure(Map.of(ConfigKeys.JWT_ISSUER, "${vault:issuer}"), Map.of(), Map.of());
        assertTrue(message.contains("[jwt.issuer]"), message);
        assertTrue(message.contains("${vault:issuer}"), message);
    }

    /** A redis.nodes item may be a pasted URL with a password, here one holding "${": never shown in the message. */
    @Test
    void whenAReferenceInRedisNodesIsMalformedThenTheMessageShowsNoCredentials() {
        String message = failure(Map.of(ConfigKeys.REDIS_NODES, "10.0.0.4:6379, redis://default:Pa${ss-9f@10.0.0.5:6379"),
                Map.of(), Map.of());
        assertTrue(message.contains("[redis.nodes] has a malformed reference [10.0.0.4:6379,redis://****]"), message);
        assertFalse(message.contains("Pa${ss") || message.contains("default:"), message);

        // A password with commas in it is cut into items: nothing after the first hidden one is shown.
        String cut = failure(Map.of(ConfigKeys.REDIS_NODES, "redis://default:ab,Middle-Secret9,cd${@10.0.0.5:6379"),
                Map.of(), Map.of());
        assertTrue(cut.contains("[redis.nodes] has a malformed reference [redis://****,…,…]"), cut);
        // A reference cut short is what the message is about: shown as written.
        String reference = failure(Map.of(ConfigKeys.REDIS_NODES, "${env:REDIS_NODES"), Map.of(), Map.of());
        assertTrue(reference.contains("[redis.nodes] has a malformed reference [${env:REDIS_NODES]"), reference);
    }

    @Test
    void whenAFileOrAReferenceCannotBeReadThenTheMessageSaysWhereTheValueCameFrom() throws IOException {
        // The same key may be set in several sources: the message must say which one holds the value that failed.
        String configFile = failure(Map.of(ConfigKeys.CONFIG_FILE, "/etc/jwtgate.properties"),
                Map.of("JWTGATE_CONFIG_FILE", "/no/such/jwtgate.properties"), Map.of());
        assertTrue(configFile.contains("[/no/such/jwtgate.properties]")
                && configFile.contains("environment variable JWTGATE_CONFIG_FILE"), configFile);
        String configFileFromProperty = failure(Map.of(), Map.of(), Map.of("jwtgate.config.file", "/no/such/b.properties"));
        assertTrue(configFileFromProperty.contains("system property jwtgate.config.file"), configFileFromProperty);

        String reference = failure(Map.of(ConfigKeys.JWT_ISSUER, "https://issuer"),
                Map.of("JWTGATE_JWT_ISSUER", "${env:MISSING_ISSUER}"), Map.of());
        assertTrue(reference.contains("[MISSING_ISSUER]") && reference.contains("environment variable JWTGATE_JWT_ISSUER"),
                reference);
        Path file = propertiesFile("jwt.secret=${file:/missing/jwt-secret}\n");
        String inTheFile = failureOf(file);
        assertTrue(inTheFile.contains("[/missing/jwt-secret]") && inTheFile.contains("properties file " + file), inTheFile);
        String malformed = failure(Map.of(ConfigKeys.REALM, "${vault:realm}"), Map.of(), Map.of());
        assertTrue(malformed.contains("[realm]") && malformed.contains("init-param"), malformed);
    }

    // ---- unknown keys --------------------------------------------------------------------------

    @Test
    void whenUnknownInitParamThenMessageSuggestsTheNearestKey() {
        String message = failure(Map.of("jwt.audiance", "x"), Map.of(), Map.of());
        assertTrue(message.contains("[jwt.audiance]"), message);
        assertTrue(message.contains("init-param"), message);
        assertTrue(message.contains("did you mean [jwt.audience]"), message);
    }

    @Test
    void whenUnknownEnvironmentVariableThenMessageSuggestsTheNearestVariable() {
        String message = failure(Map.of(), Map.of("JWTGATE_JWT_ISUER", "x"), Map.of());
        assertTrue(message.contains("[JWTGATE_JWT_ISUER]"), message);
        assertTrue(message.contains("did you mean [JWTGATE_JWT_ISSUER]"), message);
    }

    @Test
    void whenAJwtGateVariableIsWrittenInLowerCaseThenTheMessageNamesItAndTheUpperCaseName() {
        // Linux reads environment names case-sensitively: jwtgate_jwt_issuer was never read, and nothing said so.
        String message = failure(Map.of(), Map.of("jwtgate_jwt_issuer", "x"), Map.of());
        assertTrue(message.contains("[jwtgate_jwt_issuer]") && message.contains("did you mean [JWTGATE_JWT_ISSUER]"),
                message);
        // Docker and Kubernetes take dotted names: jwtgate.jwt.audience was never read either.
        for (String name : new String[] {"jwtgate.jwt.audience", "JWTGATE.JWT.AUDIENCE"}) {
            String dotted = failure(Map.of(), Map.of(name, "api"), Map.of());
            assertTrue(dotted.contains("[" + name + "]") && dotted.contains("did you mean [JWTGATE_JWT_AUDIENCE]"), dotted);
        }
        assertEquals(TestTokens.ISSUER, Settings.load(TestTokens.settings(),
                ConfigSources.of(Map.of("jwtgate_home", "/opt/jwtgate"), Map.of())).get(ConfigKeys.JWT_ISSUER),
                "a lower-case name that is no setting stays someone else's");
    }

    @Test
    void whenUnknownSystemPropertyThenMessageSuggestsTheNearestProperty() {
        String message = failure(Map.of(), Map.of(), Map.of("jwtgate.token.cokie", "x"));
        assertTrue(message.contains("[jwtgate.token.cokie]"), message);
        assertTrue(message.contains("did you mean [jwtgate.token.cookie]"), message);
    }

    @Test
    void whenASettingsSystemPropertyIsWrittenInAnotherCaseOrAsItsVariableThenTheMessageNamesItAndTheRightName() {
        // -DJWTGATE.JWT.ISSUER and -DJWTGATE_JWT_ISSUER were never read (the names are jwtgate.<key>), and nothing said so.
        for (String name : new String[] {"JWTGATE.JWT.ISSUER", "JwtGate.jwt.issuer", "JWTGATE_JWT_ISSUER", "jwtgate_jwt_issuer"}) {
            String message = failure(Map.of(), Map.of(), Map.of(name, "x"));
            assertTrue(message.contains("[" + name + "]") && message.contains("did you mean [jwtgate.jwt.issuer]"), message);
        }
        assertEquals(TestTokens.ISSUER, Settings.load(TestTokens.settings(),
                ConfigSources.of(Map.of(), Map.of("JWTGATE.HOME", "/opt/jwtgate", "jwtgate_home", "/opt"))).get(ConfigKeys.JWT_ISSUER),
                "a name that is no setting's in any case stays someone else's");
    }

    @Test
    void whenUnknownKeyInThePropertiesFileThenMessageNamesKeyAndFile() throws IOException {
        Path file = propertiesFile("jwt.issuer=https://issuer\npaths.exlude=/health\n");
        String message = failureOf(file);
        assertTrue(message.contains("[paths.exlude]"), message);
        assertTrue(message.contains(file.toString()), message);
        assertTrue(message.contains("did you mean [paths.exclude]"), message);
    }

    @Test
    void whenASecretWrappedOntoASecondLineOfThePropertiesFileThenThatLineIsNotQuoted() throws IOException {
        // openssl rand -base64 64 wraps at 64 columns: its second line, pasted as is, is read as a key.
        Path file = propertiesFile("jwt.issuer=https://issuer\n"
                + "jwt.secret=base64:Qk1XaGhQeTRsU2pKcXh0ZlVBc1lEbUZ3U0p6cGZnRmtWb1pYcWpPSm1O\n"
                + "SuPeRsEcReTtAiL0123==\n");
        String message = failureOf(file);
        assertTrue(message.startsWith("Unknown setting (name not shown"), message);
        assertTrue(message.contains(file.toString()), message);
        assertFalse(message.contains("SuPeRsEcReTtAiL0123"), message);
        // A misspelt name is still quoted, whatever its case.
        Path typo = propertiesFile("JWT_ISUER=https://issuer\n");
        String typoMessage = failure(Map.of(ConfigKeys.CONFIG_FILE, typo.toString()), Map.of(), Map.of());
        assertTrue(typoMessage.contains("[JWT_ISUER]") && typoMessage.contains("did you mean [jwt.issuer]"), typoMessage);
    }

    @Test
    void whenASettingIsNamedAsItsVariableOrSystemPropertyInTheFileOrAnInitParamThenTheMessageNamesItAndTheKey()
            throws IOException {
        // A .env file copied into the properties file, or the module's context-param name used for the filter: the
        // variable's name was not even shown, and neither got a suggestion.
        Path dotEnv = propertiesFile("JWTGATE_JWT_ISSUER=https://issuer\n");
        String variable = failure(Map.of(ConfigKeys.CONFIG_FILE, dotEnv.toString()), Map.of(), Map.of());
        assertTrue(variable.contains("[JWTGATE_JWT_ISSUER]") && variable.contains("did you mean [jwt.issuer]"), variable);
        String property = failure(Map.of("jwtgate.jwt.audience", "api"), Map.of(), Map.of());
        assertTrue(property.contains("[jwtgate.jwt.audience]") && property.contains("did you mean [jwt.audience]"), property);
    }

    @Test
    void whenAHexSecretWrappedOntoASecondLineOfThePropertiesFileThenThatLineIsNotQuoted() throws IOException {
        // xxd -p wraps hex at 60 columns: lower-case letters and digits, shaped like a setting name without a dot.
        String secondLine = "d7e8f90a1b2c3d4e5f60718293a4b5c6";
        Path file = propertiesFile("jwt.issuer=https://issuer\n"
                + "jwt.secret=3f9a0c1b2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60\n"
                + secondLine + "\n");
        String message = failureOf(file);
        // A line without '=' or ':' is never named (HostileSettingsTest), whatever it looks like.
        assertTrue(message.startsWith("Unknown setting in properties file " + file + ": a line without a value"), message);
        assertFalse(message.contains(secondLine), message);
    }

    @Test
    void whenConfigFileMissingThenMessageNamesTheKeyAndPath() {
        String message = failure(Map.of(ConfigKeys.CONFIG_FILE, "/no/such/jwtgate.properties"), Map.of(), Map.of());
        assertTrue(message.contains("[config.file]"), message);
        assertTrue(message.contains("/no/such/jwtgate.properties"), message);
    }

    @Test
    void whenAFileIsADirectoryOrARelativePathThenTheMessageSaysWhyItCannotBeRead() throws IOException {
        // They said "IOException" and "NoSuchFileException", not where a relative path was looked for.
        String directoryAsConfigFile = failure(Map.of(ConfigKeys.CONFIG_FILE, directory.toString()), Map.of(), Map.of());
        assertTrue(directoryAsConfigFile.contains("[" + directory + "]: it is a directory"), directoryAsConfigFile);
        String directoryAsReference = failure(Map.of(ConfigKeys.JWT_ISSUER, "${file:" + directory + "}"), Map.of(), Map.of());
        assertTrue(directoryAsReference.contains("cannot be read: it is a directory"), directoryAsReference);

        String workingDirectory = Path.of("").toAbsolutePath().toString();
        String relativeConfigFile = failure(Map.of(ConfigKeys.CONFIG_FILE, "conf/no-such-jwtgate.properties"), Map.of(), Map.of());
        assertTrue(relativeConfigFile.contains("[conf/no-such-jwtgate.properties]: no such file (a relative path, read from"
                + " the working directory " + workingDirectory + ")"), relativeConfigFile);
        String relativeReference = failure(Map.of(ConfigKeys.JWT_SECRET, "${file:secrets/no-such-hmac}"), Map.of(), Map.of());
        assertTrue(relativeReference.contains("[secrets/no-such-hmac], which cannot be read: no such file (a relative path,"
                + " read from the working directory " + workingDirectory + ")"), relativeReference);
    }

    @Test
    void whenPropertiesFileSetsConfigFileThenRefused() throws IOException {
        Path file = propertiesFile("config.file=/etc/other.properties\n");
        String message = failureOf(file);
        assertTrue(message.contains("[config.file]"), message);
    }

    @Test
    void whenAnInitParamHasNoValueThenRefusedNamingItRatherThanDroppingTheCheck() {
        // Jetty gives an <init-param> without <param-value> as null: dropped, the audience check would be off.
        Map<String, String> init = new HashMap<>(JwtGateConfigTest.valid());
        init.put(ConfigKeys.JWT_AUDIENCE, null);
        String message = failure(init, Map.of(), Map.of());
        assertTrue(message.contains("Setting [jwt.audience] has no value in init-param; give it one or remove it"), message);
    }

    @Test
    void whenAnEmptyValueWouldHideAnotherSourcesValueThenRefusedNamingKeyAndSource() {
        // Read as unset, an empty JWTGATE_JWT_AUDIENCE would switch off the audience the init-params ask for.
        Map<String, String> init = new HashMap<>(JwtGateConfigTest.valid());
        init.put(ConfigKeys.JWT_AUDIENCE, "api");
        String message = failure(init, Map.of("JWTGATE_JWT_AUDIENCE", ""), Map.of());
        assertTrue(message.contains("[jwt.audience] is empty in environment variable JWTGATE_JWT_AUDIENCE"), message);
        String viaReference = failure(Map.of(ConfigKeys.JWT_AUDIENCE, "${env:AUDIENCE}"), Map.of("AUDIENCE", " "), Map.of());
        assertTrue(viaReference.contains("[jwt.audience] is empty in init-param"), viaReference);
        assertTrue(failure(Map.of(ConfigKeys.JWT_TYPE, ""), Map.of(), Map.of()).contains("[jwt.type]"));
        assertTrue(failure(Map.of(), Map.of("JWTGATE_CONFIG_FILE", ""), Map.of()).contains("[config.file]"));
    }

    @Test
    void whenTheCookieIsEmptyThenThatIsItsDocumentedMeaningNotAnError() {
        assertEquals("", load(Map.of(ConfigKeys.TOKEN_COOKIE, ""), Map.of(), Map.of()).get(ConfigKeys.TOKEN_COOKIE));
    }

    @Test
    void whenAKeyIsGivenTwiceInThePropertiesFileThenRefusedNamingKeyAndFile() throws IOException {
        Path file = propertiesFile("paths.exclude=/health\njwt.issuer=https://issuer\npaths.exclude=/*\n");
        String message = failureOf(file);
        assertTrue(message.contains("[paths.exclude] is given twice"), message);
        assertTrue(message.contains(file.toString()), message);
    }

    @Test
    void whenBadValueComesFromTheEnvironmentThenMessageSaysSo() {
        Map<String, String> init = new HashMap<>(JwtGateConfigTest.valid());
        Settings settings = load(init, Map.of("JWTGATE_JWT_CLOCK_SKEW_SECONDS", "soon"), Map.of());
        String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.from(settings)).getMessage();
        assertTrue(message.contains("[jwt.clock-skew-seconds]"), message);
        assertTrue(message.contains("[soon]"), message);
        assertTrue(message.contains("environment variable JWTGATE_JWT_CLOCK_SKEW_SECONDS"), message);
    }

    @Test
    void whenTwoKeySourcesComeFromDifferentSourcesThenTheMessageSaysWhereEachCameFrom() {
        // JWTGATE_* variables apply to every application of the JVM: a secret set there for one application meets
        // another's jwks-uri init-param, and the message must say which source sets which key.
        Settings settings = load(Map.of(ConfigKeys.JWT_JWKS_URI, "https://idp.example/jwks", ConfigKeys.JWT_ISSUER,
                "https://issuer", ConfigKeys.REVOCATION_STORE, "memory"),
                Map.of("JWTGATE_JWT_SECRET", "0123456789abcdef0123456789abcdef"), Map.of());
        String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.from(settings)).getMessage();
        assertTrue(message.contains("[jwt.secret] (from environment variable JWTGATE_JWT_SECRET)")
                && message.contains("[jwt.jwks-uri] (from init-param)"), message);
        assertFalse(message.contains("0123456789abcdef"), message);
    }

    @Test
    void whenParamsComeFromAnotherFrontEndThenMessagesAndOriginsNameIt() {
        Map<String, String> params = new HashMap<>(JwtGateConfigTest.valid());
        params.put(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "soon");
        Settings settings = Settings.load(params, "context-param", ConfigSources.of(Map.of(), Map.of()));
        assertEquals("context-param", settings.origin(ConfigKeys.JWT_ISSUER));
        String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.from(settings)).getMessage();
        assertTrue(message.contains("[soon]") && message.contains("(from context-param)"), message);

        String unknown = assertThrows(ConfigurationException.class, () -> Settings.load(Map.of("jwt.isuer", "x"),
                "context-param", ConfigSources.none())).getMessage();
        assertEquals("Unknown setting [jwt.isuer] in context-param; did you mean [jwt.issuer]?", unknown);
    }

    @Test
    void whenARequiredKeyIsMissingThenTheMessageNamesTheFrontEndsOwnSettings() {
        // The Jakarta Authentication module reads context-params, not init-params: the message must not send its
        // user to an init-param, and a properties file counts too.
        Map<String, String> params = new HashMap<>(JwtGateConfigTest.valid());
        params.remove(ConfigKeys.JWT_ISSUER);
        Settings settings = Settings.load(params, "context-param", ConfigSources.none());
        String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.from(settings)).getMessage();
        assertTrue(message.contains("Missing required setting [jwt.issuer]") && message.contains("context-param")
                && message.contains("config.file") && !message.contains("init-param"), message);
    }

    // ---- describe ------------------------------------------------------------------------

    @Test
    void whenDescribedThenSecretsAreMaskedAndOtherValuesShown() {
        Settings settings = load(Map.of(ConfigKeys.JWT_SECRET, "top-secret-value", ConfigKeys.REDIS_PASSWORD, "redis-pass",
                ConfigKeys.JWT_ISSUER, "https://issuer"), Map.of(), Map.of());
        String description = settings.describe();
        assertTrue(description.contains("jwt.secret=****"), description);
        assertTrue(description.contains("redis.password=****"), description);
        assertTrue(description.contains("jwt.issuer=https://issuer"), description);
        assertTrue(description.contains("realm=jwtgate"), description);
        assertFalse(description.contains("top-secret-value"), description);
        assertFalse(description.contains("redis-pass"), description);
    }

    @Test
    void whenSecretComesFromAReferenceThenDescribeStillMasksIt() {
        Settings settings = load(Map.of(ConfigKeys.JWT_SECRET, "${env:S}"), Map.of("S", "resolved-secret"), Map.of());
        assertFalse(settings.describe().contains("resolved-secret"));
    }

    // ---- from the configuration review (2026-12-06) ---------------------------------------------

    /** ${file:${env:P}}: the file reference's name was "${env:P", a file read as named, its value with a stray brace. */
    @Test
    void whenAReferenceIsNestedThenItIsRefusedAsMalformedNotReadAsAFilesName() throws IOException {
        String message = failure(Map.of(ConfigKeys.JWT_ISSUER, "${file:${env:ISSUER_PATH}}"),
                Map.of("ISSUER_PATH", "/run/secrets/issuer"), Map.of());
        assertTrue(message.contains("Setting [jwt.issuer] has a malformed reference"), message);
        Path odd = directory.resolve("${env:X");
        Files.writeString(odd, "https://issuer.test\n");
        String named = failure(Map.of(ConfigKeys.JWT_ISSUER, "${file:" + odd + "}}"), Map.of(), Map.of());
        assertTrue(named.contains("malformed reference"), named);
        // A dollar sign not starting a reference stays part of a name.
        Path dollar = directory.resolve("issuer$1");
        Files.writeString(dollar, "https://issuer.test\n");
        assertEquals("https://issuer.test", load(Map.of(ConfigKeys.JWT_ISSUER, "${file:" + dollar + "}"), Map.of(),
                Map.of()).get(ConfigKeys.JWT_ISSUER));
    }

    /** A reference followed by a few thousand characters threw a StackOverflowError, which names no setting. */
    @Test
    void whenAReferenceRunsOnForThousandsOfCharactersThenRefusedNamingTheSetting() {
        String cut = failure(Map.of(ConfigKeys.JWT_ISSUER, "${env:" + "A".repeat(20_000)), Map.of(), Map.of());
        assertTrue(cut.startsWith("Setting [jwt.issuer] has a malformed reference"), cut);
        String whole = failure(Map.of(ConfigKeys.JWT_ISSUER, "${env:" + "A".repeat(20_000) + "}"), Map.of(), Map.of());
        assertTrue(whole.startsWith("Setting [jwt.issuer] refers to environment variable [AAA"), whole);
    }

    /** A byte-order mark (two files joined with cat) or a no-break space in a name: "did you mean" named itself. */
    @Test
    void whenASettingsNameHoldsAnInvisibleCharacterThenTheMessageWritesItAsItsCode() throws IOException {
        Path file = propertiesFile("jwt.issuer=https://issuer.test\n\uFEFFjwt.audience=api\n");
        String bom = failureOf(file);
        assertTrue(bom.startsWith("Unknown setting [\\ufeffjwt.audience] in properties file "), bom);
        assertTrue(bom.endsWith("; did you mean [jwt.audience]?"), bom);
        for (String code : List.of("200b", "00a0")) {
            String invisible = String.valueOf((char) Integer.parseInt(code, 16));
            String message = failure(Map.of("jwt.audience" + invisible, "api"), Map.of(), Map.of());
            assertTrue(message.startsWith("Unknown setting [jwt.audience\\u" + code + "] in init-param"), message);
        }
    }

    /**
     * What a JVM started without a UTF-8 locale (systemd, cron: ASCII on JDK 17 and 25) reads for "josé" in an
     * environment variable, a -D or an argument: "jos" and U+FFFD twice. A secret so read failed every token as a bad
     * signature, an issuer every token as 401, a role every holder as 403, with nothing said (a platform probe's find).
     */
    @Test
    void whenAValueHoldsTheReplacementCharacterThenItIsRefusedNamingTheLocaleNotTheValue() {
        String secret = "sëcret-" + "x".repeat(40);
        String undecoded = secret.replace("ë", "\uFFFD\uFFFD");
        String fromEnv = failure(Map.of(), Map.of("JWTGATE_JWT_SECRET", undecoded), Map.of());
        assertTrue(fromEnv.startsWith("Setting [jwt.secret] in environment variable"), fromEnv);
        assertTrue(fromEnv.contains("holds U+FFFD at position 2, which stands for bytes this JVM's locale could not"
                + " decode"), fromEnv);
        assertTrue(fromEnv.contains("LC_ALL=C.UTF-8"), fromEnv);
        assertFalse(fromEnv.contains("cret-x"), "the secret not shown: " + fromEnv);
        String fromSys = failure(Map.of(), Map.of(), Map.of("jwtgate.jwt.issuer", "https://issuer.m\uFFFD\uFFFDller.example"));
        assertTrue(fromSys.startsWith("Setting [jwt.issuer] in system property"), fromSys);
        assertTrue(fromSys.contains("U+FFFD at position 17"), fromSys);
        String fromInit = failure(Map.of(ConfigKeys.PATHS_ROLES, "/admin/*=Stra\uFFFD\uFFFDe"), Map.of(), Map.of());
        assertTrue(fromInit.startsWith("Setting [paths.roles] in init-param"), fromInit);
    }

    @Test
    void whenThePropertiesFileHoldsAMalformedUnicodeEscapeThenTheMessageSaysSo() throws IOException {
        Path file = propertiesFile("jwt.issuer=https://issuer.test\njwt.audience=api\\u00g1\n");
        String message = failureOf(file);
        assertTrue(message.contains("it holds a malformed \\uXXXX escape"), message);
        assertFalse(message.contains("IllegalArgumentException"), message);
    }

    /** As any setting's: the working directory was read as the properties file ("it is a directory"). */
    @Test
    void whenConfigFileIsAReferenceThatExpandsToNothingThenItIsRefusedAsEmpty() {
        String message = failure(Map.of(ConfigKeys.CONFIG_FILE, "${env:APP_CONFIG}"), Map.of("APP_CONFIG", ""), Map.of());
        assertEquals("Setting [config.file] is empty in init-param; give it a value or remove it", message);
    }

    // ---- a JVM-wide value over the application's own ------------------------------------------

    private static final String NO_VALUES = " (values not shown; the start-up line shows those in force)";

    /**
     * A JWTGATE_* variable applies to every application of the JVM: one exported with the store's settings replaced
     * each application's own redis.key-prefix, and two applications' user revocations merged with nothing said. The
     * precedence stands; the start-up WARN names the setting and both sources, never a value.
     */
    @Test
    void whenAnEnvironmentVariableReplacesADifferentInitParamThenTheWarningNamesTheSettingAndBothSourcesOnly() {
        Settings settings = load(Map.of(ConfigKeys.REDIS_KEY_PREFIX, "app-a:", ConfigKeys.REALM, "same"),
                Map.of("JWTGATE_REDIS_KEY_PREFIX", "shared-env:", "JWTGATE_REALM", "same"), Map.of());
        assertEquals("shared-env:", settings.get(ConfigKeys.REDIS_KEY_PREFIX), "the documented precedence stands");
        String warning = settings.jvmWideOverridesWarning().orElseThrow();
        assertTrue(warning.contains("[redis.key-prefix] from environment variable JWTGATE_REDIS_KEY_PREFIX replaces the"
                + " value from init-param" + NO_VALUES), warning);
        assertFalse(warning.contains("app-a:") || warning.contains("shared-env:"), "no value: " + warning);
        assertFalse(warning.contains("realm"), "an equal value replaced is no news: " + warning);
    }

    @Test
    void whenASystemPropertyReplacesTheValueOfThePropertiesFileThenTheWarningNamesTheFile() throws IOException {
        Path file = propertiesFile("jwt.issuer=https://app.example\n");
        Settings settings = load(Map.of(ConfigKeys.CONFIG_FILE, file.toString()), Map.of(),
                Map.of("jwtgate.jwt.issuer", "https://jvm.example"));
        String warning = settings.jvmWideOverridesWarning().orElseThrow();
        assertTrue(warning.contains("[jwt.issuer] from system property jwtgate.jwt.issuer replaces the value from"
                + " properties file " + file + NO_VALUES), warning);
        assertFalse(warning.contains("app.example") || warning.contains("jvm.example"), warning);
    }

    @Test
    void whenAJvmWideValueReplacesASecretThenTheWarningNamesItAsAnyOtherWithoutAValue() {
        String own = "0123456789abcdef0123456789abcdef";
        String jvm = "fedcba9876543210fedcba9876543210";
        Settings settings = load(Map.of(ConfigKeys.JWT_SECRET, own, ConfigKeys.JWT_JWKS_URI,
                        "https://user:pw@idp.example/jwks?key=k1"), Map.of("JWTGATE_JWT_SECRET", jvm),
                Map.of("jwtgate.jwt.jwks-uri", "https://idp.example/jwks"));
        String warning = settings.jvmWideOverridesWarning().orElseThrow();
        assertTrue(warning.contains("[jwt.secret] from environment variable JWTGATE_JWT_SECRET replaces the value from"
                + " init-param"), warning);
        assertFalse(warning.contains(own) || warning.contains(jvm), warning);
        assertTrue(warning.contains("[jwt.jwks-uri] from system property jwtgate.jwt.jwks-uri"), warning);
        assertFalse(warning.contains("idp.example") || warning.contains("pw") || warning.contains("k1"), warning);
    }

    @Test
    void whenAnInitParamOfAnotherSettingHoldsAWrittenSecretThenTheWarningDoesNotShowIt() {
        Settings settings = load(Map.of(ConfigKeys.JWT_ISSUER, "base64:c2VjcmV0LXNlY3JldC1zZWNyZXQ="),
                Map.of("JWTGATE_JWT_ISSUER", "https://i"), Map.of());
        String warning = settings.jvmWideOverridesWarning().orElseThrow();
        assertTrue(warning.contains("[jwt.issuer]"), warning);
        assertFalse(warning.contains("c2VjcmV0"), warning);
    }

    @Test
    void whenNoOwnValueIsReplacedThenNoWarning() {
        assertTrue(load(Map.of(ConfigKeys.REALM, "app"), Map.of("JWTGATE_JWT_ISSUER", "https://i"),
                Map.of("jwtgate.realm", "app")).jvmWideOverridesWarning().isEmpty());
        assertTrue(Settings.of(Map.of(ConfigKeys.REALM, "app")).jvmWideOverridesWarning().isEmpty());
    }

    /** No value of either side, whatever it holds: secrets, PEMs, URL credentials, written secrets, invisibles. */
    @Test
    void whenValuesOfAnyKindAreReplacedThenTheWarningShowsNoneOfThem() {
        String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
        String w = jvmWideWarning(Map.of(ConfigKeys.JWT_PUBLIC_KEY, pem, ConfigKeys.JWT_ISSUER,
                "https://i"), Map.of("JWTGATE_JWT_PUBLIC_KEY", "/etc/k.pem", "JWTGATE_JWT_ISSUER", "https://j"));
        assertFalse(w.contains("MIIEvQ") || w.contains("\n") || w.contains("/etc/k.pem") || w.contains("https://"), w);
        w = jvmWideWarning(Map.of(ConfigKeys.JWT_JWKS_URI, "https://u:pw1@idp/jwks?api_key=k3y#frag"),
                Map.of("JWTGATE_JWT_JWKS_URI", "https://idp/jwks?api_key=k4y"));
        assertFalse(w.contains("pw1") || w.contains("k3y") || w.contains("k4y") || w.contains("frag"), w);
        w = jvmWideWarning(Map.of(ConfigKeys.REDIS_NODES, "redis://user:pa,ss@h1:6379,h2:6379"),
                Map.of("JWTGATE_REDIS_NODES", "rediss://u:secr3t@h3:6379"));
        assertFalse(w.contains("pa,ss") || w.contains("ss@") || w.contains("secr3t") || w.contains("h1"), w);
        w = jvmWideWarning(Map.of(ConfigKeys.REDIS_PASSWORD, "${file:/run/secrets/a}", ConfigKeys.DPOP_NONCE_SECRET,
                "x-own-1234567890"), Map.of("JWTGATE_REDIS_PASSWORD", "hunter2-redis", "JWTGATE_DPOP_NONCE_SECRET",
                "y-env-1234567890"));
        assertFalse(w.contains("hunter2") || w.contains("/run/secrets") || w.contains("x-own") || w.contains("y-env"), w);
        assertTrue(w.contains("[redis.password]") && w.contains("[dpop.nonce-secret]"), w);
        w = jvmWideWarning(Map.of(ConfigKeys.REALM, "base64:c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"),
                Map.of("JWTGATE_REALM", "api"));
        assertFalse(w.contains("c2VjcmV0"), w);
        w = jvmWideWarning(Map.of(ConfigKeys.REALM, "a\nb\u202e"), Map.of("JWTGATE_REALM", "api"));
        assertFalse(w.contains("\n") || w.contains("\u202e"), w);
    }

    private static String jvmWideWarning(Map<String, String> own, Map<String, String> env) {
        return load(own, env, Map.of()).jvmWideOverridesWarning().orElseThrow();
    }

    /**
     * An own jwt.public-key that is no PEM (a JWK pasted, its private "d" with it), never checked since a JVM-wide value
     * replaced it: in force, its refusal shows nothing of it, and neither does the WARN.
     */
    @Test
    void whenAnOwnPublicKeyThatIsNoPemIsReplacedThenTheWarningDoesNotShowIt() {
        String privateD = "hTbB9QpW1ZpTq8fK3rS0nXyLmA4dEfGhIjKlMnOpQrS";
        String jwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\",\"d\":\"" + privateD + "\"}";
        String message = assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.from(load(Map.of(ConfigKeys.JWT_PUBLIC_KEY, jwk), Map.of(), Map.of()))).getMessage();
        assertFalse(message.contains(privateD), "in force, its refusal hides it: " + message);

        String warning = jvmWideWarning(Map.of(ConfigKeys.JWT_PUBLIC_KEY, jwk),
                Map.of("JWTGATE_JWT_PUBLIC_KEY", "/etc/jwtgate/idp.pem"));
        assertTrue(warning.contains("[jwt.public-key] from environment variable JWTGATE_JWT_PUBLIC_KEY"), warning);
        assertFalse(warning.contains(privateD) || warning.contains("kty"), warning);
    }

    /**
     * JWTGATE_CONFIG_FILE applies to every application of the JVM as any JWTGATE_* variable does: the shared file's
     * redis.key-prefix replacing each application's init-param is the very case the WARN is for.
     */
    @Test
    void whenAJvmWideConfigFileReplacesAnInitParamThenTheWarningNamesTheFileAndTheVariableNamingIt() throws IOException {
        Path shared = propertiesFile("redis.key-prefix=shared:\nrealm=same\n");
        Settings settings = load(Map.of(ConfigKeys.REDIS_KEY_PREFIX, "shop:", ConfigKeys.REALM, "same"),
                Map.of("JWTGATE_CONFIG_FILE", shared.toString()), Map.of());
        assertEquals("shared:", settings.get(ConfigKeys.REDIS_KEY_PREFIX), "the documented precedence");
        String warning = settings.jvmWideOverridesWarning().orElse("(no warning)");
        assertTrue(warning.contains("[redis.key-prefix] from properties file " + shared + " (from environment variable"
                + " JWTGATE_CONFIG_FILE) replaces the value from init-param"), warning);
        assertFalse(warning.contains("realm"), warning);

        settings = load(Map.of(ConfigKeys.REDIS_KEY_PREFIX, "shop:"), Map.of(),
                Map.of("jwtgate.config.file", shared.toString()));
        assertTrue(settings.jvmWideOverridesWarning().orElse("(no warning)").contains("[redis.key-prefix] from"
                + " properties file " + shared + " (from system property jwtgate.config.file)"), settings.toString());
    }

    /** The application's own config.file is its own: its values replace init-params with no WARN, as before. */
    @Test
    void whenTheApplicationsOwnConfigFileReplacesAnInitParamThenNoWarning() throws IOException {
        Path own = propertiesFile("redis.key-prefix=shop-file:\n");
        assertTrue(load(Map.of(ConfigKeys.CONFIG_FILE, own.toString(), ConfigKeys.REDIS_KEY_PREFIX, "shop:"), Map.of(),
                Map.of()).jvmWideOverridesWarning().isEmpty());
    }

    /** A list is read trimmed and split at commas: "RS256, ES256" and "RS256,ES256" are one setting in force. */
    @Test
    void whenAJvmWideListDiffersOnlyInSpacesAfterCommasThenNoWarning() {
        Settings settings = load(Map.of(ConfigKeys.JWT_ALGORITHMS, "RS256, ES256", ConfigKeys.PATHS_EXCLUDE,
                        "/health, /static/*", ConfigKeys.PATHS_ROLES, "/admin/*=admin ; /reports/*=analyst| admin"),
                Map.of("JWTGATE_JWT_ALGORITHMS", "RS256,ES256", "JWTGATE_PATHS_EXCLUDE", "/health,/static/*",
                        "JWTGATE_PATHS_ROLES", "/admin/*=admin;/reports/*=admin|analyst"), Map.of());
        assertEquals("", settings.jvmWideOverridesWarning().orElse(""));
        settings = load(Map.of(ConfigKeys.JWT_ALGORITHMS, "RS256, ES256"), Map.of("JWTGATE_JWT_ALGORITHMS", "ES256,RS256"),
                Map.of());
        assertTrue(settings.jvmWideOverridesWarning().orElse("").contains("[jwt.algorithms]"), "another order, another"
                + " list: told, as the order is the settings'");
    }

    /** Booleans, choices and numbers are read as their parsers read them: TRUE and true are one setting in force. */
    @Test
    void whenAJvmWideValueDiffersOnlyInCaseOfABooleanOrAChoiceThenNoWarning() {
        Settings settings = load(Map.of(ConfigKeys.METRICS_JMX, "true", ConfigKeys.REVOCATION_FAILURE_MODE, "closed",
                        ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "30"),
                Map.of("JWTGATE_METRICS_JMX", "TRUE", "JWTGATE_JWT_CLOCK_SKEW_SECONDS", "030"),
                Map.of("jwtgate.revocation.failure-mode", "CLOSED"));
        assertEquals("", settings.jvmWideOverridesWarning().orElse(""));
        settings = load(Map.of(ConfigKeys.METRICS_JMX, "ture"), Map.of("JWTGATE_METRICS_JMX", "true"), Map.of());
        assertTrue(settings.jvmWideOverridesWarning().orElse("").contains("[metrics.jmx]"),
                "an own value that would not parse counts as another");
    }

    /** The application's own value is a reference whose expansion is the JVM-wide value: nothing was replaced. */
    @Test
    void whenTheOwnValueIsAReferenceExpandingToTheJvmWideValueThenNoWarning() {
        Settings settings = load(Map.of(ConfigKeys.JWT_ISSUER, "${env:SHOP_ISSUER}"),
                Map.of("SHOP_ISSUER", "https://login.example", "JWTGATE_JWT_ISSUER", "https://login.example"), Map.of());
        assertEquals("", settings.jvmWideOverridesWarning().orElse(""));
        settings = load(Map.of(ConfigKeys.JWT_ISSUER, "${env:UNSET_ISSUER}"),
                Map.of("JWTGATE_JWT_ISSUER", "https://login.example"), Map.of());
        assertTrue(settings.jvmWideOverridesWarning().orElse("").contains("[jwt.issuer]"),
                "an own reference that finds nothing counts as another value");
    }

    @Test
    void whenASecretsOwnReferenceExpandsToTheJvmWideSecretThenNoWarning() {
        String secret = "0123456789abcdef0123456789abcdef";
        Settings settings = load(Map.of(ConfigKeys.JWT_SECRET, "${env:SHOP_SECRET}"),
                Map.of("SHOP_SECRET", secret, "JWTGATE_JWT_SECRET", secret), Map.of());
        assertEquals(secret, settings.get(ConfigKeys.JWT_SECRET));
        assertEquals("", settings.jvmWideOverridesWarning().orElse(""));
    }

    /**
     * The same PEM, in web.xml with its line breaks and in an environment variable with them written as the two
     * characters \\n (which jwt.public-key reads as line breaks): one key in force, no WARN. Another key: a WARN.
     */
    @Test
    void whenTheJvmWidePemIsTheOwnPemWithEscapedLineBreaksThenNoWarning() {
        String pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV7\n"
                + "6e8Tus9uPHvRVEXH8UTNG72bfocs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==\n-----END PUBLIC KEY-----";
        Settings settings = load(Map.of(ConfigKeys.JWT_PUBLIC_KEY, pem),
                Map.of("JWTGATE_JWT_PUBLIC_KEY", pem.replace("\n", "\\n")), Map.of());
        assertEquals("", settings.jvmWideOverridesWarning().orElse(""));
        settings = load(Map.of(ConfigKeys.JWT_PUBLIC_KEY, pem.replace("\n", "\r\n")),
                Map.of("JWTGATE_JWT_PUBLIC_KEY", TestTokens.pem(TestTokens.rsaKeyPair())), Map.of());
        assertTrue(settings.jvmWideOverridesWarning().orElse("").contains("[jwt.public-key]"), "another key");
    }
}
