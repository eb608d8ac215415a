package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/sample.md presents the sample as "built the way we would want yours built". Its default, and the first key it
 * documents, is HS256: the sample signs and the filter verifies with one secret. Copied into a system where other
 * services verify the sample's tokens, every service holding the secret can mint a token for any user with any role;
 * the page said nothing of it (a review's finding), and now says when a key pair is needed instead.
 */
class SigningKeysDocsTest {

    private static final Path SAMPLE_PAGE = Path.of("..", "docs", "sample.md");

    @Test
    void whenSigningKeysPresentHs256ThenTheyWarnThatWhoeverVerifiesWithTheSecretCanSignTokens() throws IOException {
        Matcher section = Pattern.compile("(?s)## Signing keys\\n(.*?)\\n## ").matcher(Files.readString(SAMPLE_PAGE));
        assertTrue(section.find(), "docs/sample.md has no Signing keys section");
        String text = section.group(1);
        assertTrue(Pattern.compile("(?i)\\b(mint|forge|can (also )?sign|sign (its|their) own|issue tokens)").matcher(text)
                        .find() && Pattern.compile("(?s)another\\s+service.*(EdDSA|ES256)").matcher(text).find(),
                "the Signing keys section offers HS256 without saying that every holder of the secret (each service "
                        + "that verifies with it) can sign tokens for any user and role, or that another service verifying "
                        + "needs a key pair (EdDSA, ES256):\n" + text);
    }
}
