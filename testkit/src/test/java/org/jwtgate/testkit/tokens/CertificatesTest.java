package org.jwtgate.testkit.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CertificatesTest {

    @Test
    void whenMadeThenTheCertificateIsSelfSignedAndItsKeyIsThePrivateKeys() throws Exception {
        Certificates.SelfSigned made = Certificates.selfSignedRsa();

        made.certificate().verify(made.certificate().getPublicKey());
        assertEquals("CN=jwtgate-test", made.certificate().getSubjectX500Principal().getName());
        java.security.Signature signature = java.security.Signature.getInstance("SHA256withRSA");
        signature.initSign(made.privateKey());
        signature.update(new byte[] {1});
        byte[] signed = signature.sign();
        signature.initVerify(made.certificate());
        signature.update(new byte[] {1});
        assertTrue(signature.verify(signed), "the private key signs what the certificate's key verifies");
    }

    @Test
    void whenTheCallingThreadIsInterruptedThenTheFailureKeepsItsInterruptFlag() {
        // generate, not selfSignedRsa: the JVM's certificate may be made already, and then no keytool runs.
        Thread.currentThread().interrupt();
        try {
            IllegalStateException failure = assertThrows(IllegalStateException.class, Certificates::generate);

            assertInstanceOf(InterruptedException.class, failure.getCause());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is kept");
        } finally {
            Thread.interrupted(); // cleared for the tests that follow on this thread
        }
    }
}
