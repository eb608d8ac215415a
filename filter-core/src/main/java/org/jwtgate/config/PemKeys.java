package org.jwtgate.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jwtgate.internal.keys.EcPoints;
import org.jwtgate.internal.keys.EdwardsPoints;
import org.jwtgate.internal.keys.RsaExponent;
import org.jwtgate.internal.keys.RsaModulus;

/**
 * Reads a public key for {@code jwt.public-key}: a PEM {@code PUBLIC KEY} (RSA, RSASSA-PSS, EC P-256/384/521,
 * Ed25519) or {@code CERTIFICATE}, given inline or as a file path. Messages never quote key material.
 */
final class PemKeys {

    /** openssl writes these with -ec_conv_form compressed or -ec_param_enc explicit; the JDK reads neither. */
    private static final String EC_KEY_REFUSED = "the EC PUBLIC KEY is refused by the JDK: a curve other than P-256,"
            + " P-384 and P-521, a compressed point or explicit curve parameters? Write it with a named curve and an"
            + " uncompressed point (openssl pkey -pubout, its defaults)";

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    /** Each decodes only its own type's key; RSASSA-PSS is an RSA key restricted to PSS signatures (RFC 4055). */
    private static final String[] DECODABLE_KEY_TYPES = {"RSA", "RSASSA-PSS", "EC", "Ed25519", "Ed448", "DSA"};
    private static final String RSA_PSS = "RSASSA-PSS";
    /** The DER of the OID rsaEncryption (1.2.840.113549.1.1.1), which a SubjectPublicKeyInfo of an RSA key names. */
    private static final byte[] RSA_ENCRYPTION_OID = {
        0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    /** The DER of the OID id-RSASSA-PSS (1.2.840.113549.1.1.10), which an RSA key marked RSA-PSS names instead. */
    private static final byte[] RSASSA_PSS_OID = {
        0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x0A};
    /** The DER of the OID id-ecPublicKey (1.2.840.10045.2.1), which every EC key names. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    private PemKeys() {
    }

    /** @throws IllegalArgumentException with a reason fit for a configuration error */
    static PublicKey parse(String inlineOrPath) {
        // An environment variable often carries the line breaks as the two characters \n (a JSON or .env value);
        // base64 and the armour hold no backslash, so they can only be line breaks.
        boolean inline = inlineOrPath.contains("-----BEGIN");
        String pem = inline ? inlineOrPath.replace("\\r\\n", "\n").replace("\\n", "\n") : readFile(inlineOrPath);
        Matcher matcher = PEM.matcher(pem);
        if (!matcher.find()) {
            String expected = " (expected -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----)";
            throw new IllegalArgumentException(inline ? "no PEM block found" + expected
                    : "the file [" + shown(inlineOrPath) + "] holds no PEM block" + expected + notText(pem));
        }
        String type = matcher.group(1);
        byte[] der = der(matcher.group(2));
        PublicKey key = switch (type) {
            case "PUBLIC KEY" -> publicKey(der);
            case "CERTIFICATE" -> certificateKey(der);
            case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" ->
                    throw new IllegalArgumentException("it holds a private key; configure the public key only");
            default -> throw new IllegalArgumentException("unsupported PEM type [" + type + "]; use PUBLIC KEY or CERTIFICATE");
        };
        refuseOtherKeys(pem, matcher.end(), type, der, key);
        requireSupported(key);
        requireStrongEnough(key);
        return key;
    }

    /**
     * The blocks after the first: a private key anywhere is refused as it is in the first (a key pair file), and
     * so is a second public key, which would otherwise be ignored without a word (its tokens all refused).
     * Certificates may follow a certificate: a chain file starts with the leaf, whose key is used. After a
     * public key, a certificate is a second key unless it certifies that same key. A chain written issuer first
     * ({@code cat ca.crt signer.crt}) is refused: its first key, the issuer's, would verify none of the signer's tokens.
     */
    private static void refuseOtherKeys(String pem, int from, String firstType, byte[] firstDer, PublicKey first) {
        // Read as text, and from the start: an encrypted legacy key (Proc-Type headers) is not a block PEM matches,
        // so written before the public key it is not the first block either.
        if (pem.contains("PRIVATE KEY-----")) {
            throw new IllegalArgumentException("it holds a private key; configure the public key only");
        }
        Matcher matcher = PEM.matcher(pem);
        while (matcher.find(from)) {
            if (matcher.group(1).equals("PUBLIC KEY") || (matcher.group(1).equals("CERTIFICATE")
                    && !firstType.equals("CERTIFICATE") && !first.equals(certificateKey(der(matcher.group(2)))))) {
                throw new IllegalArgumentException("it holds more than one PEM key; configure one public key"
                        + " (use jwt.jwks-uri for several)");
            }
            if (firstType.equals("CERTIFICATE") && issued(firstDer, der(matcher.group(2)))) {
                throw new IllegalArgumentException("its first CERTIFICATE issued a later one, so it is not the token"
                        + " signer's: a chain starts with the signer's certificate, then its issuers'; put that one first");
            }
            from = matcher.end();
        }
    }

    private static byte[] der(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM block is not valid base64");
        }
    }

    /**
     * RSA, EC on P-256/384/521 or Ed25519, as the verifier can use: a key factory also decodes other curves
     * (secp256k1, brainpool) and types (DSA, Ed448 in a certificate), which would then fail every token.
     */
    private static void requireSupported(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            // The JDK takes an even exponent (it refuses only those below 3), yet no RSA key has one (RFC 8017 §3.1):
            // nothing an issuer signs verifies with it.
            if (!RsaExponent.isOdd(rsa)) {
                throw new IllegalArgumentException("the RSA key's public exponent is even, which no RSA key's is"
                        + " (RFC 8017: odd, from 3): it would verify no token");
            }
            if (RsaModulus.anyoneCanSign(rsa)) {
                throw new IllegalArgumentException("the RSA key's modulus is even, prime, a square or has a small"
                        + " factor, as no RSA key's is: anyone may work out its private key and sign tokens that verify"
                        + " with it");
            }
            if (RSA_PSS.equals(key.getAlgorithm())) {
                pssAlgorithm(key); // refuses parameters no PS algorithm uses
            }
            return;
        }
        if (key instanceof ECPublicKey ec) {
            String[][] curves = {{"secp256r1", "P-256"}, {"secp384r1", "P-384"}, {"secp521r1", "P-521"}};
            for (String[] curve : curves) {
                if (sameCurve(ec.getParams(), curve[0])) {
                    // The JDK takes a point off the curve (one bit of y changed), with which no signature verifies.
                    if (!EcPoints.isOnCurve(ec)) {
                        throw new IllegalArgumentException("the EC key's point is not on " + curve[1]
                                + " (y² ≠ x³ + ax + b): no token would verify with it; is the key file damaged?");
                    }
                    return;
                }
            }
            throw new IllegalArgumentException("unsupported EC curve (use P-256, P-384 or P-521)");
        }
        String type = key.getAlgorithm();
        if (type.equals("EC")) {
            // Not an ECPublicKey: bits the JDK's DSA factory read as a bare INTEGER, such as a compressed P-256 point
            // 0x02 + x whose x starts with 0x1f (one key in 512).
            throw new IllegalArgumentException(EC_KEY_REFUSED);
        }
        if (type.equals("RSA") || type.equals(RSA_PSS)) {
            // Key bits holding a bare INTEGER: the JDK's DSA factory reads them whatever algorithm the key names.
            throw new IllegalArgumentException("the RSA key's bits are not an RSAPublicKey (RFC 8017 A.1.1: a SEQUENCE"
                    + " of the modulus and the public exponent)");
        }
        if (key instanceof EdECPublicKey ed) {
            if ("Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
                if (EdwardsPoints.isWeak(ed)) {
                    throw new IllegalArgumentException("the Ed25519 key is a point of small order (or encoded with y"
                            + " ≥ p), for which anyone can sign: no issuer's key is one");
                }
                return;
            }
            type = ed.getParams().getName(); // the key's algorithm says only EdDSA
        }
        throw new IllegalArgumentException("unsupported key type [" + type + "] (use RSA, EC P-256/384/521 or Ed25519)");
    }

    private static boolean sameCurve(ECParameterSpec params, String name) {
        try {
            AlgorithmParameters standard = AlgorithmParameters.getInstance("EC");
            standard.init(new ECGenParameterSpec(name));
            ECParameterSpec spec = standard.getParameterSpec(ECParameterSpec.class);
            return spec.getCurve().equals(params.getCurve()) && spec.getGenerator().equals(params.getGenerator())
                    && spec.getOrder().equals(params.getOrder()) && spec.getCofactor() == params.getCofactor();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks the standard curve " + name, e);
        }
    }

    /** A path as messages show it: only when it is a key file's name, since a secret pasted here by mistake must not be. */
    private static String shown(String path) {
        return path.trim().matches("[\\w./\\\\ ~:-]+\\.(pem|crt|cer|key|pub|der)") ? path.trim() : "value not shown";
    }

    /**
     * Why a file an editor shows as a PEM holds no block, read as Latin-1: UTF-16 text (PowerShell's Out-File,
     * Notepad's "Unicode") puts a NUL beside each ASCII character; a DER key is binary. Empty when neither.
     */
    private static String notText(String latin1) {
        if (latin1.startsWith("\u00FF\u00FE") || latin1.startsWith("\u00FE\u00FF")) {
            return "; it is UTF-16 text: save it as UTF-8 or ASCII";
        }
        return latin1.indexOf('\0') >= 0
                ? "; it holds NUL bytes (UTF-16 text, or a binary DER key?): give the PEM text, in UTF-8 or ASCII" : "";
    }

    private static String readFile(String path) {
        String shown = shown(path);
        try {
            // Latin-1 reads any byte: a BOM or a non-ASCII comment around the (ASCII) block is skipped, not fatal.
            return new String(ConfigFiles.read(Path.of(path.trim())), StandardCharsets.ISO_8859_1);
        } catch (ConfigFiles.TooLargeException e) {
            throw new IllegalArgumentException("the file [" + shown + "] is " + e.getMessage() + ", more than any PEM key");
        } catch (IOException e) {
            throw new IllegalArgumentException("neither an inline PEM nor a readable file [" + shown + "]: "
                    + ConfigFiles.whyUnreadable(Path.of(path.trim()), e));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("neither an inline PEM nor a readable file [" + shown + "]: "
                    + ConfigFiles.whyInvalid(path, e));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("neither an inline PEM nor a readable file [" + shown + "]");
        }
    }

    private static PublicKey publicKey(byte[] der) {
        PublicKey key = decodePublicKey(der);
        if (key == null) {
            long announced = announcedLength(der);
            if (announced > der.length) { // a line lost in a copy: the JDK's reason for it is "IOException: null"
                throw new IllegalArgumentException("the PUBLIC KEY is cut short: its block holds " + der.length
                        + " bytes of the " + announced + " its DER announces (a line of the block lost in a copy?)");
            }
            String rsaType = names(der, RSA_ENCRYPTION_OID) ? "RSA" : names(der, RSASSA_PSS_OID) ? RSA_PSS : null;
            if (rsaType == null && names(der, EC_PUBLIC_KEY_OID)) {
                throw new IllegalArgumentException(EC_KEY_REFUSED);
            }
            throw new IllegalArgumentException(rsaType != null ? "the RSA PUBLIC KEY is refused by the JDK ("
                    + whyRsaRefused(der, rsaType) + ")" : "the PUBLIC KEY is not an RSA, EC or EdDSA key");
        }
        return key;
    }

    /** The length the outermost DER element announces, its tag and length included, or -1 when none can be read. */
    private static long announcedLength(byte[] der) {
        DerHeader outer = DerHeader.at(der, 0);
        return outer.contentLength() < 0 ? -1 : outer.contentStart() + outer.contentLength();
    }

    /**
     * Whether a SubjectPublicKeyInfo's algorithm is {@code oid}, read without decoding the key: an RSA key the JDK
     * refuses (a public exponent below 3, with which a "signature" equals its message) is still an RSA key.
     */
    private static boolean names(byte[] der, byte[] oid) {
        // SEQUENCE { SEQUENCE { OID ...
        int algorithm = DerHeader.at(der, DerHeader.at(der, 0).contentStart()).contentStart();
        return algorithm + oid.length <= der.length
                && java.util.Arrays.equals(der, algorithm, algorithm + oid.length, oid, 0, oid.length);
    }

    /**
     * The tag and length of the DER element at {@code at}: where its content starts (after the tag and the short or
     * long length; {@code der.length} when the bytes end before the length) and how long the content is, -1 when that
     * cannot be read (the bytes end first, an indefinite length, more than 4 length bytes).
     */
    private record DerHeader(int contentStart, long contentLength) {

        static DerHeader at(byte[] der, int at) {
            if (at + 1 >= der.length) {
                return new DerHeader(der.length, -1);
            }
            int first = der[at + 1] & 0xFF;
            if (first < 0x80) {
                return new DerHeader(at + 2, first);
            }
            int lengthBytes = first & 0x7F;
            int contentStart = at + 2 + lengthBytes;
            if (lengthBytes == 0 || lengthBytes > 4 || der.length < contentStart) {
                return new DerHeader(contentStart, -1);
            }
            long length = 0;
            for (int i = at + 2; i < contentStart; i++) {
                length = length << 8 | (der[i] & 0xFF);
            }
            return new DerHeader(contentStart, length);
        }
    }

    /** The JDK's reason (no key material in it), such as "exponent is smaller than 3". */
    private static String whyRsaRefused(byte[] der, String type) {
        try {
            KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            return "no reason given";
        } catch (GeneralSecurityException | RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
    }

    private static PublicKey certificateKey(byte[] der) {
        PublicKey key = certificateKeyOrNull(der);
        if (key == null) {
            throw new IllegalArgumentException("the CERTIFICATE cannot be parsed");
        }
        return key;
    }

    /**
     * A DER {@code SubjectPublicKeyInfo} of any type the JDK decodes, or null. More types than the verifier
     * supports, so that {@link #requireSupported} names the one it refuses and a shared secret that is in fact a
     * public key ({@link SecretKeys}) is recognised whatever its type.
     */
    static PublicKey decodePublicKey(byte[] der) {
        for (String algorithm : DECODABLE_KEY_TYPES) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException notThisType) {
                // try the next type
            }
        }
        return null;
    }

    /** The public key of a DER X.509 certificate, or null when the bytes are none. */
    static PublicKey certificateKeyOrNull(byte[] der) {
        X509Certificate certificate = certificateOrNull(der);
        return certificate == null ? null : certificate.getPublicKey();
    }

    private static X509Certificate certificateOrNull(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException notACertificate) {
            return null;
        }
    }

    /**
     * Whether the certificate {@code issuerDer} signed another one, {@code der}, of another key: one of its own key
     * (itself repeated, or a self-signed certificate renewed with its key kept) leaves its key the signer's.
     */
    private static boolean issued(byte[] issuerDer, byte[] der) {
        X509Certificate issuer = certificateOrNull(issuerDer);
        X509Certificate certificate = certificateOrNull(der);
        if (issuer == null || certificate == null || certificate.getPublicKey().equals(issuer.getPublicKey())
                || !certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException notSignedByIt) {
            return false;
        }
    }

    private static void requireStrongEnough(PublicKey key) {
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
            throw new IllegalArgumentException("RSA keys must have at least 2048 bits, this one has "
                    + rsa.getModulus().bitLength());
        }
    }

    /** The algorithm a key implies when {@code jwt.algorithms} is not set. */
    static SigningAlgorithm inferAlgorithm(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return RSA_PSS.equals(key.getAlgorithm()) ? pssAlgorithm(key) : SigningAlgorithm.RS256;
        }
        if (key instanceof ECPublicKey ec) {
            return switch (ec.getParams().getCurve().getField().getFieldSize()) {
                case 256 -> SigningAlgorithm.ES256;
                case 384 -> SigningAlgorithm.ES384;
                case 521 -> SigningAlgorithm.ES512;
                default -> throw new IllegalArgumentException("unsupported EC curve (use P-256, P-384 or P-521)");
            };
        }
        if ("EdDSA".equals(key.getAlgorithm()) || "Ed25519".equals(key.getAlgorithm())) {
            return SigningAlgorithm.EdDSA;
        }
        throw new IllegalArgumentException("unsupported key type [" + key.getAlgorithm() + "]");
    }

    /** Whether a key can verify an algorithm at all (an ES384 key cannot verify ES256). */
    static boolean fits(PublicKey key, SigningAlgorithm algorithm) {
        return switch (algorithm.family()) {
            case RSA -> key instanceof RSAPublicKey && (!RSA_PSS.equals(key.getAlgorithm())
                    || (pssParameters(key) == null ? algorithm.name().startsWith("PS") : algorithm == pssAlgorithm(key)));
            case EC -> key instanceof ECPublicKey && inferAlgorithm(key) == algorithm;
            case EDDSA -> inferAlgorithm(key) == SigningAlgorithm.EdDSA;
            case HMAC -> false;
        };
    }

    /**
     * The PS algorithm an RSASSA-PSS key is for: PS256 when its parameters leave it open, else the one whose
     * parameters (RFC 7518 §3.5: the digest, MGF1 with the same digest, a salt of the digest's length) it names. A
     * key's salt length is a minimum (RFC 4055 §3.1): openssl writes 20 whatever the digest.
     */
    private static SigningAlgorithm pssAlgorithm(PublicKey key) {
        PSSParameterSpec pss = pssParameters(key);
        if (pss == null) {
            return SigningAlgorithm.PS256;
        }
        String digest = pss.getDigestAlgorithm().toUpperCase(Locale.ROOT).replace("-", "");
        SigningAlgorithm algorithm = switch (digest) {
            case "SHA256" -> SigningAlgorithm.PS256;
            case "SHA384" -> SigningAlgorithm.PS384;
            case "SHA512" -> SigningAlgorithm.PS512;
            default -> null;
        };
        int digestBytes = algorithm == null ? 0 : Integer.parseInt(digest.substring(3)) / 8;
        if (algorithm == null || !(pss.getMGFParameters() instanceof MGF1ParameterSpec mgf)
                || !digest.equals(mgf.getDigestAlgorithm().toUpperCase(Locale.ROOT).replace("-", ""))
                || pss.getSaltLength() > digestBytes) {
            throw new IllegalArgumentException("unsupported RSASSA-PSS key: its parameters (" + pss.getDigestAlgorithm()
                    + ", salt " + pss.getSaltLength() + ") are those of no PS algorithm (PS256, PS384, PS512)");
        }
        return algorithm;
    }

    /** The parameters an RSASSA-PSS key is restricted to, or null when it is not. */
    private static PSSParameterSpec pssParameters(PublicKey key) {
        return ((RSAPublicKey) key).getParams() instanceof PSSParameterSpec pss ? pss : null;
    }
}
