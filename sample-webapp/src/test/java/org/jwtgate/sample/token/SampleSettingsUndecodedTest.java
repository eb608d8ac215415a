package org.jwtgate.sample.token;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.sample.settings.SampleSettings;

/**
 * A review of the U+FFFD refusal found: JwtGate's settings holding U+FFFD (what a JVM without a UTF-8 locale reads for each byte of
 * "é" in an environment variable) are refused at start, naming U+FFFD and LC_ALL=C.UTF-8; the sample's own SAMPLE_*
 * settings, read by SampleSettings, are not checked. The same key path given as JWTGATE_JWT_PUBLIC_KEY and as
 * SAMPLE_SIGNING_KEY is told apart: the one says why, the other "neither an inline PEM nor a readable file
 * [value not shown]".
 */
class SampleSettingsUndecodedTest {

    private static final String UNDECODED_PATH = "/etc/jwtgate/cl\uFFFD\uFFFD.pem"; // clé.pem under LANG unset

    @Test
    void jwtGatesOwnKeyPathHoldingUFFFDIsRefusedSayingWhy() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> JwtGateConfig.load(Map.of(),
                ConfigSources.of(Map.of("JWTGATE_JWT_PUBLIC_KEY", UNDECODED_PATH), Map.of())));
        assertTrue(e.getMessage().contains("U+FFFD") && e.getMessage().contains("LC_ALL=C.UTF-8"), e.getMessage());
    }

    @Test
    void theSamplesSigningKeyPathHoldingUFFFDIsRefusedSayingWhyAsJwtGatesIs() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> {
            SampleSettings settings = SampleSettings.from(
                    ConfigSources.of(Map.of(SampleSettings.SIGNING_KEY, UNDECODED_PATH), Map.of()));
            SigningKey.privateKey(settings.signingKey(), null);
        });
        assertTrue(e.getMessage().contains("U+FFFD") || e.getMessage().contains("LC_ALL"),
                "SAMPLE_SIGNING_KEY=" + UNDECODED_PATH.replace("\uFFFD", "\\ufffd") + ": " + e.getMessage());
    }
}
