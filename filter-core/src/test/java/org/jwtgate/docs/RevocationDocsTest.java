package org.jwtgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.TokenRef;

/**
 * docs/revocation.md's key schema is what operators read Redis by, write their ACL for, and what a rolling upgrade
 * relies on ("the Redis keys of revocations … are unchanged"): its table lists exactly the keys
 * {@link RevocationKeys} builds, in order, and its examples of the encoding are what the code writes.
 */
class RevocationDocsTest {

    private static final Path PAGE = Path.of("..", "docs", "revocation.md");
    private static final Pattern KEY_ROW = Pattern.compile("^\\| `(jwtgate:[^`]+)` \\|", Pattern.MULTILINE);

    private static String section(String heading) throws IOException {
        String page = Files.readString(PAGE);
        int start = page.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, PAGE + " has a heading " + heading);
        int end = page.indexOf("\n## ", start + 1);
        return page.substring(start, end < 0 ? page.length() : end);
    }

    @Test
    void whenKeySchemaListedThenItIsExactlyTheKeysTheStoresBuild() throws IOException {
        List<String> documented = new ArrayList<>();
        Matcher row = KEY_ROW.matcher(section("## Key schema"));
        while (row.find()) {
            documented.add(row.group(1));
        }
        // The placeholders as values: none holds a character the schema encodes.
        RevocationKeys keys = new RevocationKeys("jwtgate:");
        TokenRef token = new TokenRef("<iss>", "<sub>", "<jti>", Instant.EPOCH, Instant.EPOCH.plusSeconds(60));
        // A proof's record names its jti by a digest, which the page writes <jti-sha256>.
        String digest = RevocationKeys.proofIdDigest("<jti>");
        List<String> built = List.of(keys.tokenKey(token), keys.userKey("<sub>"), keys.liveKey(token),
                keys.proofKey("<sub>", "<jkt>", "<jti>").replace(digest, "<jti-sha256>"),
                keys.tokenRequestProofKey("<jkt>", "<jti>").replace(digest, "<jti-sha256>"), keys.probeKey("<n>"),
                keys.writeProbeKey("<n>"), keys.proofProbeKey("<n>"));
        assertEquals(built, documented, "docs/revocation.md's key schema differs from RevocationKeys'");
    }

    @Test
    void whenKeySchemaGivesExamplesOfTheEncodingThenTheKeysAreSoEncoded() throws IOException {
        String schema = section("## Key schema");
        RevocationKeys keys = new RevocationKeys("jwtgate:");
        assertTrue(schema.contains("(`{` → `%7b`)"), "the page's example of a percent-encoded `{`");
        assertEquals("jwtgate:{a%7bb}:user", keys.userKey("a{b"));
        assertTrue(schema.contains("(`%ed%a0%80`)"), "the page's example of a lone surrogate's encoding");
        assertEquals("jwtgate:{%ed%a0%80}:user", keys.userKey("\ud800"));
        assertTrue(schema.contains("An empty subject is tagged `{%}`"), "the page's tag of an empty subject");
        assertEquals("jwtgate:{%}:user", keys.userKey(""));
        assertTrue(schema.contains("user `alice` revoked → `jwtgate:{alice}:user`"), "the page's example of a user key");
        assertEquals("jwtgate:{alice}:user", keys.userKey("alice"));
    }
}
