package org.jwtgate.sample.token;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.VerificationSettings;
import org.jwtgate.sample.settings.SampleSettings;
import org.jwtgate.config.SigningAlgorithm;

/**
 * The key access tokens are signed with: the HMAC secret the filter verifies with
 * ({@code jwt.secret}), or a PEM PKCS#8 private key ({@code SAMPLE_SIGNING_KEY}) whose public half
 * the filter holds ({@code jwt.public-key}). Never printed.
 */
public final class SigningKey {

    /** Far above any PEM key, as jwt.public-key's limit. */
    private static final int MAX_KEY_FILE_BYTES = 1 << 20;
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final Key key;
    private final SigningAlgorithm algorithm;

    private SigningKey(Key key, SigningAlgorithm algorithm) {
        this.key = key;
        this.algorithm = algorithm;
    }

    /** The HMAC key the filter verifies with; HS256 unless {@code jwt.algorithms} names only others. */
    public static SigningKey hmac(VerificationSettings verification) {
        Set<SigningAlgorithm> allowed = verification.algorithms();
        SigningAlgorithm algorithm = allowed.contains(SigningAlgorithm.HS256) ? SigningAlgorithm.HS256
                : allowed.stream().filter(SigningAlgorithm::isHmac).sorted().findFirst()
                .orElseThrow(() -> new ConfigurationException("No HMAC algorithm in [" + ConfigKeys.JWT_ALGORITHMS + "]"));
        return new SigningKey(new SecretKeySpec(verification.secret(), "Hmac" + algorithm.name().replace("HS", "SHA")), algorithm);
    }

    /**
     * A PEM {@code PRIVATE KEY} (PKCS#8: RSA of 2048+ bits, EC P-256/384/521, Ed25519), inline or a
     * file path, checked against the public key the filter verifies with.
     */
    public static SigningKey privateKey(String inlineOrPath, VerificationSettings verification) {
        PrivateKey privateKey = parsePrivateKey(inlineOrPath);
        SigningAlgorithm algorithm = inferAlgorithm(privateKey);
        if (!verification.algorithms().contains(algorithm)) {
            throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY + "] holds a key for " + algorithm
                    + ", but [" + ConfigKeys.JWT_ALGORITHMS + "] allows " + verification.algorithms());
        }
        SigningKey signingKey = new SigningKey(privateKey, algorithm);
        signingKey.requireVerifiableWith(verification.publicKey());
        return signingKey;
    }

    public SigningAlgorithm algorithm() {
        return algorithm;
    }

    /** Signs {@code payload} as a compact JWS with {@code typ} (e.g. at+jwt). */
    public String sign(String payload, String type) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setAlgorithmHeaderValue(algorithm.name());
        if (type != null) {
            jws.setHeader("typ", type);
        }
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign with " + algorithm + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** Signs a probe and verifies it with the filter's key, so a mismatched pair fails at start-up, not at login. */
    private void requireVerifiableWith(PublicKey publicKey) {
        if (publicKey == null) {
            throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY + "] is set: also set ["
                    + ConfigKeys.JWT_PUBLIC_KEY + "] (" + ConfigKeys.environmentName(ConfigKeys.JWT_PUBLIC_KEY)
                    + ") to its public key, so the filter can verify the tokens the sample signs");
        }
        try {
            JsonWebSignature probe = new JsonWebSignature();
            probe.setCompactSerialization(sign("{\"probe\":true}", null));
            probe.setKey(publicKey);
            if (probe.verifySignature()) {
                return;
            }
        } catch (JoseException e) {
            // reported below
        }
        throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY + "] does not match ["
                + ConfigKeys.JWT_PUBLIC_KEY + "]: tokens signed with the one would fail verification with the other");
    }

    /**
     * A regular file of at most {@link #MAX_KEY_FILE_BYTES}, as jwt.public-key's: a path given by mistake (an archive,
     * a pipe, /dev/zero) is refused, not read until memory runs out or forever. Latin-1 reads any byte: a byte-order
     * mark or openssl's "Bag Attributes" with a non-ASCII friendlyName around the (ASCII) block is skipped.
     */
    private static String readKeyFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
            if (bytes.length > MAX_KEY_FILE_BYTES) {
                throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY + "]: the file is larger than "
                        + MAX_KEY_FILE_BYTES + " bytes, more than any PEM key");
            }
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static PrivateKey parsePrivateKey(String inlineOrPath) {
        String pem = inlineOrPath;
        if (!inlineOrPath.contains("-----BEGIN")) {
            try {
                pem = readKeyFile(Path.of(inlineOrPath.trim()));
            } catch (InvalidPathException e) {
                // A file name this JVM cannot encode: beyond ASCII without a UTF-8 locale (systemd, cron).
                throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY + "]: neither an inline PEM"
                        + " nor a file name this JVM can use (" + e.getReason() + "); with characters beyond ASCII, run"
                        + " it with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
            } catch (ConfigurationException e) {
                throw e; // the file too large: said so
            } catch (IOException | RuntimeException e) {
                // Shown only when it is a key file's name, as jwt.public-key's error does: a key pasted without its
                // PEM lines must not be printed.
                String path = inlineOrPath.trim();
                String shown = path.matches("[\\w./\\\\ ~:-]+\\.(pem|key|der)") ? path : "value not shown";
                throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY
                        + "]: neither an inline PEM nor a readable file [" + shown + "]");
            }
        }
        Matcher matcher = PEM.matcher(pem);
        if (!matcher.find() || !matcher.group(1).equals("PRIVATE KEY")) {
            throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY
                    + "]: expected a PKCS#8 -----BEGIN PRIVATE KEY----- block (convert with: openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY + "]: the PEM block is not valid base64");
        }
        for (String family : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(family).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException ignored) {
                // not this family: try the next
            }
        }
        throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY + "]: not an RSA, EC or Ed25519 private key");
    }

    private static SigningAlgorithm inferAlgorithm(PrivateKey key) {
        if (key instanceof RSAPrivateKey rsa) {
            if (rsa.getModulus().bitLength() < 2048) {
                throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY
                        + "]: RSA keys need 2048 bits or more, this one has "
                        + rsa.getModulus().bitLength());
            }
            return SigningAlgorithm.RS256;
        }
        if (key instanceof ECPrivateKey ec) {
            return switch (ec.getParams().getCurve().getField().getFieldSize()) {
                case 256 -> SigningAlgorithm.ES256;
                case 384 -> SigningAlgorithm.ES384;
                case 521 -> SigningAlgorithm.ES512;
                default -> throw new ConfigurationException("Setting [" + SampleSettings.SIGNING_KEY
                        + "]: unsupported EC curve (use P-256, P-384 or P-521)");
            };
        }
        return SigningAlgorithm.EdDSA;
    }

    @Override
    public String toString() {
        return "SigningKey[" + algorithm + "]";
    }
}
