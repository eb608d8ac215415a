package org.jwtgate.sample.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigSources;

/**
 * docs/sample.md's table of the sample's own settings is the code's: every setting {@link SampleSettings} names (its
 * public name constants) has one row, with the system property it is also read as and its real default; a setting
 * added, renamed or given another default fails here until the page says so.
 */
class SampleSettingsDocsTest {

    private static final Path SAMPLE_PAGE = Path.of("..", "docs", "sample.md");
    private static final Pattern TABLE = Pattern.compile("\\| environment \\| system property \\| default \\| meaning \\|\\n"
            + "\\|---\\|---\\|---\\|---\\|\\n((?:\\|.*\\|\\n)+)");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| `([^`]+)` \\| (`[^`]*`|—) \\| .+ \\|$",
            Pattern.MULTILINE);

    @Test
    void whenSamplePageListsTheSettingsThenTheyAreTheCodesWithTheirRealDefaults() throws IOException, IllegalAccessException {
        Matcher table = TABLE.matcher(Files.readString(SAMPLE_PAGE));
        assertTrue(table.find(), "docs/sample.md has no table of the sample's own settings");
        Map<String, String> documented = new TreeMap<>(); // environment name -> "property | default"
        Matcher row = ROW.matcher(table.group(1));
        while (row.find()) {
            documented.put(row.group(1), row.group(2) + " | " + row.group(3).replace("`", ""));
        }

        Map<String, String> defaults = realDefaults();
        Map<String, String> expected = new TreeMap<>();
        for (Field field : SampleSettings.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String environment = (String) field.get(null);
                assertTrue(defaults.containsKey(environment), "no default known here for " + environment);
                expected.put(environment, SampleSettings.systemPropertyName(environment) + " | " + defaults.get(environment));
            }
        }
        assertEquals(expected, documented, "docs/sample.md's settings table differs from SampleSettings");
    }

    /** Each setting's default, as the sample applies it with nothing set ("—": none). */
    private static Map<String, String> realDefaults() {
        SampleSettings settings = SampleSettings.from(ConfigSources.none());
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(SampleSettings.PORT, String.valueOf(SampleSettings.port(ConfigSources.none())));
        defaults.put(SampleSettings.HOST, settings.host());
        defaults.put(SampleSettings.SIGNING_KEY, settings.signingKey() == null ? "—" : settings.signingKey());
        defaults.put(SampleSettings.ACCESS_TOKEN_SECONDS, String.valueOf(settings.accessTokenLifetime().toSeconds()));
        defaults.put(SampleSettings.REFRESH_TOKEN_SECONDS, String.valueOf(settings.refreshTokenLifetime().toSeconds()));
        defaults.put(SampleSettings.DEMO_ACCOUNTS, String.valueOf(settings.seedDemoAccounts()));
        defaults.put(SampleSettings.LOGIN_MAX_FAILURES, String.valueOf(settings.loginMaxFailures()));
        defaults.put(SampleSettings.LOGIN_WINDOW_SECONDS, String.valueOf(settings.loginWindow().toSeconds()));
        defaults.put(SampleSettings.PBKDF2_ITERATIONS, String.valueOf(settings.pbkdf2Iterations()));
        return defaults;
    }
}
