package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A properties file's value that ends in a backslash (a secret's last character, a Windows path) continues on the next
 * line, as java.util.Properties reads it: the setting written there was swallowed into the value, and the start failed
 * on a missing setting or went on with a default, with nothing pointing at the backslash.
 */
class BackslashEndedValueTest {

    @TempDir
    Path directory;

    @Test
    void whenASecretEndsInABackslashBeforeASettingThenTheStartNamesBothLinesWithoutTheSecret() throws IOException {
        Map<String, String> init = JwtGateConfigTest.valid();
        init.remove(ConfigKeys.JWT_SECRET);
        init.remove(ConfigKeys.JWT_ISSUER);
        init.put(ConfigKeys.CONFIG_FILE, write("# JwtGate\n\njwt.secret=correct-horse-battery-staple-0123456789\\\n"
                + "jwt.issuer=https://issuer.example\n").toString());

        String message = assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.load(init, ConfigSources.none())).getMessage();

        assertTrue(message.startsWith("Line 3 of properties file "), message);
        assertTrue(message.contains("joins line 4 ([jwt.issuer]) to the value of [jwt.secret] (not shown)"), message);
        assertFalse(message.contains("correct-horse"), message);
    }

    @Test
    void whenAValueIsContinuedOnPurposeThenItIsReadAsOneValue() throws IOException {
        Map<String, String> init = JwtGateConfigTest.valid();
        init.put(ConfigKeys.CONFIG_FILE, write("paths.exclude=/health,\\\n    /static/*\n").toString());

        JwtGateConfig config = JwtGateConfig.load(init, ConfigSources.none());

        assertEquals("/health,/static/*", config.settings().get(ConfigKeys.PATHS_EXCLUDE));
    }

    private Path write(String text) throws IOException {
        return Files.writeString(directory.resolve("jwtgate.properties"), text);
    }
}
