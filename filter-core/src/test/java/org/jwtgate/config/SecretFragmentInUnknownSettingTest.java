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
 * A secret written over two lines of the properties file (a passphrase an editor wrapped, no trailing backslash) makes
 * its second line a "setting" of its own. When that line holds a space, '=' or ':' its first word is the name and the
 * rest a value; the name was quoted in the refusal when it was "key-shaped" (lower-case words joined by dots), so part
 * of the secret reached the log. The refusal names the line's number instead; other unknown names keep their
 * suggestion.
 */
class SecretFragmentInUnknownSettingTest {

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
        assertFalse(message.contains("orbit.walnut"), message);
        assertTrue(message.contains("Unknown setting on line 2 of properties file " + file), message);
        assertTrue(message.contains("just after the secret [redis.password]"), message);
    }

    @Test
    void aThirdLineAfterCommentsAndAContinuedLineIsCountedAsTheFileHasIt() throws IOException {
        Path file = directory.resolve("jwtgate.properties");
        Files.writeString(file, "# JwtGate\r\n\r\njwt.issuer=https://issuer.example\\\r\n  /realm\r\n"
                + "jwt.secret=first.words.of.a passphrase\r\nsecond.words.of its\r\nthird.words.of it\r\n");
        Map<String, String> init = JwtGateConfigTest.valid();
        init.remove(ConfigKeys.JWT_SECRET);
        init.put(ConfigKeys.CONFIG_FILE, file.toString());

        String message = assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.load(init, ConfigSources.none())).getMessage();

        assertFalse(message.contains("words.of"), message);
        assertTrue(message.contains("on line 6 of properties file"), message);
        assertTrue(message.contains("just after the secret [jwt.secret]"), message);
    }

    @Test
    void aKeyShapedThirdLineAfterAnUnshapedSecondOneIsNotQuotedEither() throws IOException {
        Path file = directory.resolve("jwtgate.properties");
        Files.writeString(file, "redis.password=Tango Umbrella\nViolet-Quartz 42\nlantern.cobalt orbit\n");
        Map<String, String> init = JwtGateConfigTest.valid();
        init.put(ConfigKeys.CONFIG_FILE, file.toString());

        String message = assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.load(init, ConfigSources.none())).getMessage();

        assertFalse(message.contains("Violet") || message.contains("lantern") || message.contains("cobalt"), message);
    }

    @Test
    void anUnknownNameElsewhereIsStillNamedWithItsSuggestion() throws IOException {
        Path file = directory.resolve("jwtgate.properties");
        Files.writeString(file, "redis.password=tango.umbrella.violet\n\njwt.isuer=https://issuer.example\n");
        Map<String, String> init = JwtGateConfigTest.valid();
        init.put(ConfigKeys.CONFIG_FILE, file.toString());

        String message = assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.load(init, ConfigSources.none())).getMessage();

        assertTrue(message.contains("[jwt.isuer]") && message.contains("did you mean [jwt.issuer]?"), message);
    }
}
