package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * The key checks share the fetch's deadline, looked at before each modulus's test: an 8,192-bit PRIME modulus begun
 * just before it ran on for seconds (isProbablePrime's Miller-Rabin rounds and Lucas test; 6-12 s with a 1 s timeout,
 * in the review that found it), and a key server could send another on every fetch. RsaModulus now takes one
 * exponentiation (Fermat's test to base 2) for a prime as for any modulus.
 */
class JwksPrimeModulusTest {

    /** BigInteger.probablePrime(8192, new Random(7)), base64url. */
    static final String PRIME_8192 = "mRcPuxg0d6NalMm_OQt3AgnTKlldSph9QfSz5ZJHGr4FGUu1XcqzkQAWF1qhR-Hz6Y7oHt9_rkC_55PZ_O1SsgLjTRXlxMqvFm_C7c6k-xtl4kCk6USzHQcF5si3HPi9_JfGlmkwWLIu3RR58ZUyl-HIIUGmpG2ZNkz0YbMXyZ_uYUzFp0sCn4-BTjjZOZW2lKohUIR4kdddqN3dxGQ0r-tQeBrgQ2T5s6PzcH6reUcLo8iFtmxJmADaZBoipCDumYnsmFkB5BbJw4-_euIqAKQXTGS1FE3GmDHC1en4x9yxw6J22gPFxTR92HKLI0JzFJ626bsP9fQRGgIcmgFoqYEYHJoyTwrsCTlaMhMBjr3iMrabRj3_6UxzupyZYMgLaiFMx7Bn-QKVsBgKmOuo_Om_ioGbAfVSnrwg76zU2VphZllarF5QXNY_zfdEUqF-2vLOcUGaZRJQD8vBguHvMHIcjVf87oDu_QetQWVTVYW3YxVXgoJmJR3ppZIqCFdBODQMaX-pgv3y4eAx7vxjalkLlLPt5wv-t8bo0piPSdhnuDMcljEOVs8gGU31HNbq7AlYudcuy1NBjhNKI92E3EN8slGliVP5ZCTnvTOi4GNuvbvB1Yb51tbJPiIKXQEQJhq6XJdvfQeyu8Z5h4xi1DMoGcxDj9joAbJIR-r6jrv-QeG-WMmTb3BXAZhzbQCJY6fy8MAL43VDCKmpSSpY58xXkcdYIY9rigzVbZ14_3J7-QtksKhLVJHB9YQPf43AJmIZnw4zrxecZolGUCRCTMiULbW5z98U04BiAQjWu9K1SMBuc4dmhHsKXPn5WQjV702MfEaMwAhm4cRmYw2PSbhicGiDIW16rChvMqo2VapoTg-FB4CjWpuR5542TQOGgFXWacA6zMjrvyP_mlscbv5a7tNv541-Nj029PffRvDyQg3Yrw_1XKaviRGizpg8UWpiojWuO-fvRwzRBJvOFQhIMhpYvDSVgJrPOcFqb7RUi2J705Ok5PRXMMMc117RUEt5ysooFzbOmNzHmuB-Kc8bpzQKYFHLZrBGLuT4CnFrG51OlQWLKx27feLxRn_03U5tZ1wncwjXW0TnZIltjI_dxAlO2NjGqlzRZDI70zNvA7VikZ_uktImLWqH3pqDBsw4ww4Yv3roRdp96pEsvMjq8k0zhM09U2qmep5TkG2tRIAu81lFL_6eZCFLl-ZpAP9wWBELyMxLpijH3hEik3Ynw7qejRgnRrKmVK3fN36BSddewGjYTx7s2ZXdaKlx5oSI8LRJghjQfkeEB6idNY35lmUVZQo3JBlbmRm39aaXnCyuXShNjN0atVx6xiJPtcoxpKz_-MMr4RHLceJI3w";

    @Test
    void whenAPrimeModulusIsTestedJustBeforeTheDeadlineThenStartUpIsNotHeldPastIt() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        try (JwksTestServer server = new JwksTestServer(JwksTestServer.setWith(Map.of("k1", first),
                List.of(PRIME_8192)))) {
            long started = System.nanoTime();
            try (JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofSeconds(1),
                    Duration.ofSeconds(2))) {
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(millis < 3_000, "start-up held " + millis + " ms with a fetch timeout of 1 s");
            }
        }
    }
}
