package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.dpop.DpopProof;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The {@code jti} of a DPoP proof is chosen by whoever signs the proof, any client with a key of its own
 * (no account needed for a token request's proof), and only its length is checked (1 to 256). An accepted proof's
 * {@link DpopProof#toString()} writes it as the audit trail writes a value (a review found it raw): an application's
 * {@code log.info("token request {}", proof)} writes none of the client's line breaks.
 */
class DpopProofToStringTest {

    private static final URI LOGIN = URI.create("https://app.example/login");
    private static final DpopKey KEY = DpopKey.es256();

    @Test
    void whenAnAcceptedProofsJtiHoldsLineBreaksOrControlsThenToStringDoesNotWriteThemRaw() {
        Map<String, String> settings = TestTokens.settings();
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings))) {
            String jti = "p1, iat=0]\r\n12:00:00 INFO admin logged in\u2028\u0085\u001b[31m\u202e";
            DpopProof verified = gate.verifyDpopProof(KEY.proof("POST", LOGIN.toString()).jti(jti).sign(), "POST", LOGIN);
            String text = verified.toString();
            assertAll("DpopProof.toString() = " + text.replace("\r", "<CR>").replace("\n", "<LF>"),
                    () -> assertFalse(text.contains("\n") || text.contains("\r"), "a line break"),
                    () -> assertFalse(text.contains("\u2028") || text.contains("\u0085"), "a Unicode line break"),
                    () -> assertFalse(text.contains("\u001b"), "an ANSI escape"),
                    () -> assertFalse(text.contains("\u202e"), "a bidi override"));
        }
    }
}
