package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.dpop.DpopProof;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/** {@link JwtGate#verifyDpopProof(String, String, URI, String)}, the 1.0.0 form, still verifies a token request's proof. */
class JwtGateTokenRequestProofTest {

    private static final URI LOGIN = URI.create("https://app.example/login");
    private static final DpopKey KEY = DpopKey.es256();

    private static JwtGate gate() {
        Map<String, String> settings = TestTokens.settings();
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        return JwtGate.start(JwtGateConfig.of(settings));
    }

    @Test
    @SuppressWarnings("deprecation") // the 1.0.0 form is the point: code compiled against 1.0.0 calls it
    void whenCalledThe1_0_0WayThenTheProofIsVerifiedOnceWhateverSubjectEachCallNames() {
        try (JwtGate gate = gate()) {
            String proof = KEY.proof("POST", LOGIN.toString()).sign();

            DpopProof verified = gate.verifyDpopProof(proof, "POST", LOGIN, "alice");

            assertEquals(KEY.thumbprint(), verified.thumbprint());
            // 1.0.0 kept the record per subject, so the same proof passed again under another username.
            InvalidDpopProofException replay = assertThrows(InvalidDpopProofException.class,
                    () -> gate.verifyDpopProof(proof, "POST", LOGIN, "bob"));
            assertEquals(DpopRejection.REPLAYED, replay.rejection());
        }
    }
}
