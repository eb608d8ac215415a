package org.jwtgate.internal.web;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/**
 * Certificate-bound access tokens (RFC 8705 §3): a token whose {@code cnf} object has an {@code x5t#S256} member — the
 * base64url SHA-256 of the DER client certificate it was issued to — passes only on a request whose client
 * certificate (the container's {@value #CERTIFICATE_ATTRIBUTE} attribute, the client's own first) is that one.
 * Otherwise, and when {@code x5t#S256} is not a 43-character base64url string (a binding written wrong, as a
 * {@code cnf} that is no object is for DPoP), the token is refused: 401 {@code invalid_token},
 * {@link Rejection#CERTIFICATE_MISMATCH}. Checked on every request, whatever {@code dpop.mode} and the scheme: the
 * verified-token cache holds the principal, not the request's certificate. A token without such a member costs one
 * claims lookup.
 */
final class CertificateBinding {

    /** Where a Servlet container puts the TLS client's certificate chain, an {@code X509Certificate[]} (Servlet 6.0 §3.9). */
    static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    /** The {@code cnf} member of RFC 8705 §3.1. */
    static final String THUMBPRINT_MEMBER = "x5t#S256";
    /** A SHA-256 digest's length in unpadded base64url. */
    private static final int THUMBPRINT_LENGTH = 43;

    private CertificateBinding() {
    }

    /**
     * Refuses {@code principal} on {@code request} when its token is bound to a client certificate the request did not
     * present.
     *
     * @param request the request; null where none is known (then a bound token is refused: no certificate)
     * @throws InvalidTokenException {@link Rejection#CERTIFICATE_MISMATCH}
     */
    static void check(JwtPrincipal principal, HttpServletRequest request) {
        // The one lookup a token without the binding costs. A cnf that is no object is DPoP's concern (claimsDpopBinding).
        if (!(principal.claim("cnf") instanceof Map<?, ?> confirmation) || !confirmation.containsKey(THUMBPRINT_MEMBER)) {
            return;
        }
        if (!(confirmation.get(THUMBPRINT_MEMBER) instanceof String bound) || !isThumbprintShaped(bound)) {
            throw new InvalidTokenException(Rejection.CERTIFICATE_MISMATCH);
        }
        byte[] presented = request == null ? null : thumbprintOf(request.getAttribute(CERTIFICATE_ATTRIBUTE));
        if (presented == null || !MessageDigest.isEqual(presented, bound.getBytes(StandardCharsets.US_ASCII))) {
            throw new InvalidTokenException(Rejection.CERTIFICATE_MISMATCH);
        }
    }

    /** 43 characters of the base64url alphabet, no padding. */
    private static boolean isThumbprintShaped(String value) {
        if (value.length() != THUMBPRINT_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The unpadded base64url SHA-256 of the client's certificate (the chain's first), as ASCII bytes; null when the
     * attribute holds no certificate.
     */
    private static byte[] thumbprintOf(Object chain) {
        if (!(chain instanceof X509Certificate[] certificates) || certificates.length == 0 || certificates[0] == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificates[0].getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encode(digest);
        } catch (CertificateEncodingException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e); // every Java SE platform has it
        }
    }
}
