package org.jwtgate.config;

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
 * A properties file's line right after a secret's is not quoted (it may be the rest of the secret, wrapped), and still
 * told what it resembles; a misspelt secret's name counts as the secret's (a review's finds).
 */
class AfterASecretLineTest {

    @TempDir
    Path directory;

    private Map<String, String> withFile(String content) throws IOException {
        Path file = directory.resolve("jwtgate.properties");
        Files.writeString(file, content);
        Map<String, String> init = JwtGateConfigTest.valid();
        init.put(ConfigKeys.CONFIG_FILE, file.toString());
        return init;
    }

    /** A typo on the line after a secret's (the usual layout) is told what it resembles. */
    @Test
    void aMisspeltSettingOnTheLineAfterASecretKeepsItsSuggestion() throws IOException {
        Map<String, String> init = withFile("redis.password=tango.umbrella.violet\njwt.isuer=https://issuer.example\n");
        String message = assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.load(init, ConfigSources.none())).getMessage();
        assertTrue(message.contains("did you mean [jwt.issuer]?"), message);
    }

    /** A misspelt secret's name is taken for the secret's: the wrapped line after it is not quoted. */
    @Test
    void theWrappedLineAfterAMisspeltSecretNameIsNotQuoted() throws IOException {
        Map<String, String> init = withFile("redis.pasword=tango.umbrella.violet\nquartz.lantern.cobalt orbit.walnut\n");
        String message = assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.load(init, ConfigSources.none())).getMessage();
        assertFalse(message.contains("quartz.lantern.cobalt"), message);
    }
}
