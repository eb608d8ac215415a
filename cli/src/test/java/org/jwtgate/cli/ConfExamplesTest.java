package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.Setting;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The examples in conf/ are working documentation: every key is in conf/web.xml with its real
 * default, nothing there is stale, and the files pass check-config once the values an operator
 * must supply (the secret) are there.
 */
class ConfExamplesTest {

    private static final Path CONF = Path.of("..", "conf");
    private static final Pattern PARAM_NAME = Pattern.compile("<param-name>([^<]*)</param-name>");

    @TempDir
    Path dir;

    private static String read(String file) throws IOException {
        Path path = CONF.resolve(file);
        assertTrue(Files.isRegularFile(path), "missing " + path.toAbsolutePath());
        return Files.readString(path);
    }

    @Test
    void whenWebXmlReadThenItNamesEveryKeyAndOnlyKnownKeys() throws IOException {
        String webXml = read("web.xml");
        Set<String> named = new LinkedHashSet<>();
        Matcher matcher = PARAM_NAME.matcher(webXml); // active and commented-out init-params alike
        while (matcher.find()) {
            named.add(matcher.group(1));
        }
        for (String key : ConfigKeys.all()) {
            assertTrue(named.contains(key), "conf/web.xml does not document [" + key + "]");
        }
        for (String name : named) {
            assertTrue(ConfigKeys.isKnown(name), "conf/web.xml names an unknown key [" + name + "]");
        }
    }

    @Test
    void whenWebXmlCommentsGiveDefaultsThenTheyAreTheRealOnes() throws IOException {
        String webXml = read("web.xml");
        for (String key : ConfigKeys.all()) {
            String defaultValue = ConfigKeys.defaultValue(key);
            if (defaultValue == null) {
                continue;
            }
            int param = webXml.indexOf("<param-name>" + key + "</param-name>");
            int comment = webXml.lastIndexOf("<!--", param);
            String explanation = webXml.substring(comment, param);
            assertTrue(explanation.contains("Default " + defaultValue), "the comment before [" + key
                    + "] in conf/web.xml should say \"Default " + defaultValue + "\": " + explanation);
        }
    }

    /** The comment before each init-param, up to the param itself. */
    private static String commentBefore(String webXml, String key) {
        int param = webXml.indexOf("<param-name>" + key + "</param-name>");
        return webXml.substring(webXml.lastIndexOf("<!--", param), param);
    }

    @Test
    void whenWebXmlCommentsGiveRangesAndChoicesThenTheyAreTheSettingsOwn() throws IOException {
        String webXml = read("web.xml");
        for (Setting setting : ConfigKeys.settings()) {
            String explanation = commentBefore(webXml, setting.key());
            if (setting.isNumber()) {
                String range = "(" + setting.min() + "-" + setting.max() + ")";
                assertTrue(explanation.contains(range), "the comment before [" + setting.key()
                        + "] in conf/web.xml should give its range " + range + ": " + explanation);
            } else if (setting.isChoice() && !setting.documentedFormat().equals("boolean")) {
                for (String choice : setting.choices()) {
                    assertTrue(explanation.contains(choice), "the comment before [" + setting.key()
                            + "] in conf/web.xml should name the choice [" + choice + "]: " + explanation);
                }
            }
        }
    }

    @Test
    void whenWebXmlSecretSuppliedThenCheckConfigPasses() {
        CliRun run = CliRun.of(Map.of("APP_JWT_SECRET", TestTokens.SECRET), "check-config", CONF.resolve("web.xml").toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("filter [jwtgate]") && run.out().contains("jwt.secret=****"), run.out());
        assertFalse(run.out().contains(TestTokens.SECRET));
    }

    @Test
    void whenWebXmlSecretMissingThenCheckConfigNamesTheVariable() {
        CliRun run = CliRun.of(Map.of(), "check-config", CONF.resolve("web.xml").toString());
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[jwt.secret] refers to environment variable [APP_JWT_SECRET]"), run.err());
    }

    @Test
    void whenPropertiesSecretFileSuppliedThenCheckConfigPasses() throws IOException {
        // The example reads the secret from /etc/jwtgate/; here that directory is a temp one.
        Files.writeString(dir.resolve("jwt-secret"), TestTokens.SECRET + "\n");
        Path properties = Files.writeString(dir.resolve("jwtgate.properties"),
                read("jwtgate.properties").replace("/etc/jwtgate/", dir.toString() + "/"));
        CliRun run = CliRun.of(Map.of(), "check-config", properties.toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("revocation.store=redis-cluster") && run.out().contains("jwt.secret=****"), run.out());
    }

    @Test
    void whenPropertiesReadThenEveryKeyActiveOrCommentedIsKnown() throws IOException {
        Matcher matcher = Pattern.compile("(?m)^#?([a-z][a-z0-9.-]*)=").matcher(read("jwtgate.properties"));
        int keys = 0;
        while (matcher.find()) {
            assertTrue(ConfigKeys.isKnown(matcher.group(1)), "unknown key [" + matcher.group(1) + "] in jwtgate.properties");
            keys++;
        }
        assertTrue(keys > 10, "too few keys found: " + keys);
    }

    @Test
    void whenSetenvReadThenEveryJwtgateVariableIsAKnownKey() throws IOException {
        Matcher matcher = Pattern.compile("(JWTGATE_[A-Z0-9_]+)=").matcher(read("tomcat/setenv.sh"));
        Set<String> known = new LinkedHashSet<>();
        ConfigKeys.all().forEach(key -> known.add(ConfigKeys.environmentName(key)));
        int variables = 0;
        while (matcher.find()) {
            // An unknown JWTGATE_* variable would stop every JwtGate filter of the server.
            assertTrue(known.contains(matcher.group(1)), "unknown variable " + matcher.group(1) + " in setenv.sh");
            variables++;
        }
        assertNotNull(read("tomcat/context.xml"));
        assertTrue(variables >= 5, "found " + variables);
    }
}
