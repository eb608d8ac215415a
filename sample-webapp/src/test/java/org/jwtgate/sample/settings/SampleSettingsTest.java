package org.jwtgate.sample.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;

class SampleSettingsTest {

    @Test
    void whenNothingSetThenDefaults() {
        SampleSettings settings = SampleSettings.from(ConfigSources.none());
        assertEquals("127.0.0.1", settings.host());
        assertEquals(Duration.ofMinutes(15), settings.accessTokenLifetime());
        assertEquals(5, settings.loginMaxFailures());
        assertEquals(Duration.ofMinutes(15), settings.loginWindow());
        assertEquals(600_000, settings.pbkdf2Iterations());
        assertTrue(settings.seedDemoAccounts());
        assertEquals(8080, SampleSettings.port(ConfigSources.none()));
    }

    /** The signing key is a PEM private key (or its path): a record's own toString printed it. */
    @Test
    void whenPrintedThenTheSigningKeyIsNot() {
        String key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI-Secret-Q7f\n-----END PRIVATE KEY-----";
        SampleSettings settings = SampleSettings.from(ConfigSources.of(Map.of("SAMPLE_SIGNING_KEY", key), Map.of()));
        assertTrue(settings.toString().contains("signingKey=****") && !settings.toString().contains("Secret-Q7f"),
                settings.toString());
    }

    @Test
    void whenEnvironmentAndSystemPropertySetThenEnvironmentWins() {
        ConfigSources sources = ConfigSources.of(Map.of("PORT", "9090", "SAMPLE_LOGIN_MAX_FAILURES", "3"),
                Map.of("port", "7070", "sample.login-max-failures", "9", "sample.demo-accounts", "false"));
        assertEquals(9090, SampleSettings.port(sources));
        SampleSettings settings = SampleSettings.from(sources);
        assertEquals(3, settings.loginMaxFailures());
        assertEquals(false, settings.seedDemoAccounts());
    }

    @Test
    void whenASettingIsEmptyThenRefusedNamingItAsTheFilterDoes() {
        // Before, an empty value read as unset: SAMPLE_DEMO_ACCOUNTS= seeded the demo accounts, whose passwords are
        // public. JwtGate refuses an empty JWTGATE_* the same way.
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.from(ConfigSources.of(Map.of("SAMPLE_DEMO_ACCOUNTS", ""), Map.of())));
        assertEquals("Setting [SAMPLE_DEMO_ACCOUNTS] is empty in environment variable; give it a value or remove it",
                e.getMessage());
        e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.port(ConfigSources.of(Map.of(), Map.of("port", " "))));
        assertEquals("Setting [PORT] is empty in system property [port]; give it a value or remove it", e.getMessage());
    }

    @Test
    void whenTheHostDoesNotResolveThenTheErrorNamesTheSettingAndTheValue() {
        // Before, Jetty failed to bind after the local Redis Cluster had started, and the sample printed only
        // "JwtGate sample not started: java.nio.channels.UnresolvedAddressException".
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.from(ConfigSources.of(Map.of("SAMPLE_HOST", "no-such-host.invalid"), Map.of())));
        assertTrue(e.getMessage().contains("[SAMPLE_HOST]") && e.getMessage().contains("[no-such-host.invalid]"),
                e.getMessage());
        assertEquals("::1", SampleSettings.from(ConfigSources.of(Map.of(), Map.of("sample.host", "::1"))).host());
    }

    @Test
    void whenTheHostIsNoAddressOfThisMachineThenTheErrorNamesTheSettingAndTheValue() {
        // 192.0.2.1 (TEST-NET-1) resolves but is no local address: Jetty's bind failed after the local Redis Cluster
        // had started, with "JwtGate sample not started: java.net.BindException: Cannot assign requested address".
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.from(ConfigSources.of(Map.of("SAMPLE_HOST", "192.0.2.1"), Map.of())));
        assertTrue(e.getMessage().contains("[SAMPLE_HOST]") && e.getMessage().contains("[192.0.2.1]"), e.getMessage());
        for (String local : new String[] {"localhost", "127.0.0.2"}) {
            assertEquals(local, SampleSettings.from(ConfigSources.of(Map.of("SAMPLE_HOST", local), Map.of())).host());
        }
        assertEquals("0.0.0.0", SampleSettings.from(ConfigSources.of(
                Map.of("SAMPLE_HOST", "0.0.0.0", "SAMPLE_DEMO_ACCOUNTS", "false"), Map.of())).host());
    }

    @Test
    void whenTheHostIsNotLoopbackWithTheDemoAccountsThenTheStartStopsNamingBothSettings() {
        // Before, SAMPLE_HOST=0.0.0.0 served alice and bob, whose passwords are public (bob/builder is an
        // administrator), to the network, with two INFO lines and no warning (a review's finding).
        for (Map<String, String> environment : List.of(Map.of("SAMPLE_HOST", "0.0.0.0"),
                Map.of("SAMPLE_HOST", "::", "SAMPLE_DEMO_ACCOUNTS", "true"))) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> SampleSettings.from(ConfigSources.of(environment, Map.of())));
            assertEquals("Setting [SAMPLE_HOST] is [" + environment.get("SAMPLE_HOST") + "], not a loopback address,"
                    + " and [SAMPLE_DEMO_ACCOUNTS] is true: the demo accounts, whose passwords are public (bob is an"
                    + " administrator), would be served to the network: set SAMPLE_DEMO_ACCOUNTS=false, or SAMPLE_HOST"
                    + " to a loopback address (127.0.0.1, the default, or ::1)", e.getMessage());
        }
        assertThrows(ConfigurationException.class, () -> SampleSettings.from(ConfigSources.of(Map.of(),
                Map.of("sample.host", "0.0.0.0"))), "the system property alike");
        for (String loopback : new String[] {"127.0.0.1", "::1", "localhost", "127.0.0.2"}) {
            assertTrue(SampleSettings.from(ConfigSources.of(Map.of("SAMPLE_HOST", loopback), Map.of()))
                    .seedDemoAccounts(), loopback);
        }
        SampleSettings exposed = SampleSettings.from(ConfigSources.of(
                Map.of("SAMPLE_HOST", "::"), Map.of("sample.demo-accounts", "false")));
        assertEquals("::", exposed.host());
        assertFalse(exposed.seedDemoAccounts());
    }

    @Test
    void whenValueIllegalThenErrorNamesTheSettingAndTheValue() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.from(ConfigSources.of(Map.of("SAMPLE_PBKDF2_ITERATIONS", "1000"), Map.of())));
        assertTrue(e.getMessage().contains("[SAMPLE_PBKDF2_ITERATIONS]") && e.getMessage().contains("[1000]"), e.getMessage());
        e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.port(ConfigSources.of(Map.of(), Map.of("port", "http"))));
        assertTrue(e.getMessage().contains("[PORT]") && e.getMessage().contains("[http]"), e.getMessage());
        e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.from(ConfigSources.of(Map.of("SAMPLE_DEMO_ACCOUNTS", "yes"), Map.of())));
        assertTrue(e.getMessage().contains("[SAMPLE_DEMO_ACCOUNTS]"), e.getMessage());
    }
    @Test
    void whenASampleVariableOrPropertyIsUnknownThenRefusedNamingItNotItsValue() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.requireKnownNames(Set.of("SAMPLE_PBKDF2_ITERATION"), Set.of()));
        assertTrue(e.getMessage().contains("[SAMPLE_PBKDF2_ITERATION]; did you mean [SAMPLE_PBKDF2_ITERATIONS]?"), e.getMessage());
        e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.requireKnownNames(Set.of("sample_demo_accounts"), Set.of()));
        assertTrue(e.getMessage().contains("[sample_demo_accounts]; did you mean [SAMPLE_DEMO_ACCOUNTS]?"), e.getMessage());
        e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.requireKnownNames(Set.of(), Set.of("sample.demo-account")));
        assertTrue(e.getMessage().contains("[sample.demo-account]; did you mean [sample.demo-accounts]?"), e.getMessage());
        e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.requireKnownNames(Set.of("SAMPLE_KEY"), Set.of()));
        assertTrue(e.getMessage().contains("[SAMPLE_KEY]; the sample reads SAMPLE_HOST"), e.getMessage());
        SampleSettings.requireKnownNames(Set.of("SAMPLE_HOST", "PORT", "sample_rate", "HOME"),
                Set.of("sample.host", "port", "samples.dir"));
    }

    @Test
    void whenThePortVariableIsNotInUpperCaseThenRefusedNamingIt() {
        // port=9090 was ignored without a word: the sample started on 8080 (or stopped naming PORT's 8080 as in use)
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SampleSettings.requireKnownNames(Set.of("port"), Set.of()));
        assertTrue(e.getMessage().contains("[port]; did you mean [PORT]?"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> SampleSettings.requireKnownNames(Set.of("Port"), Set.of()));
        assertTrue(e.getMessage().contains("[Port]; did you mean [PORT]?"), e.getMessage());
    }
}
