package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review: a secret written over two lines of the properties file (a passphrase an editor wrapped, no trailing
 * backslash) makes its second line a "setting" of its own. When that line holds a space, '=' or ':' its first word
 * is the name and the rest a value; the name is quoted in the refusal whenever it is "key-shaped" (lower-case words
 * joined by dots), so part of the secret reaches the log. The brief: the message never shows the secret.
 */
class ReviewSecretFragmentInUnknownSettingTest {

    @TempDir
    Path directory;

    @Test
    void theWrappedSecondLineOfAPasswordIsNotQuotedInTheRefusal() throws IOException {
        Path file = directory.resolve("jwtgate.properties");
        Files.writeString(file, "redis.password=tango.umbrella.violet\n"
                + "quartz.lantern.cobalt orbit.walnut\n");
        Map<String, String> init = JwtGateConfigTest.valid();
        init.put(ConfigKeys.CONFIG_FILE, file.toString());

        String message = assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.load(init, ConfigSources.none())).getMessage();

        assertFalse(message.contains("quartz.lantern.cobalt"), message);
    }
}
