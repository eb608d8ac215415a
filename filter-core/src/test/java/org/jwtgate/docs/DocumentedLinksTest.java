package org.jwtgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pages send readers to each other ("see [revocation](revocation.md#failure-behaviour)"): each relative link of
 * the README, the CHANGELOG and docs/ names a file that exists and, with a {@code #fragment} into a page, one of that
 * page's headings as GitHub anchors it. A heading renamed or a page moved would otherwise leave links that land at the
 * top of a page, or nowhere.
 */
class DocumentedLinksTest {

    private static final Path ROOT = Path.of("..");
    /** {@code ](target)} or {@code ](target#fragment)}; external links start with a scheme. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#]*)(?:#([^)\\s]+))?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");

    @Test
    void whenThePagesLinkToAFileOrHeadingThenItExists() throws IOException {
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int linked = 0;
        for (Path page : Stream.concat(DocumentedTestsTest.docs().stream(), Stream.of(ROOT.resolve("CHANGELOG.md")))
                .toList()) {
            Matcher link = LINK.matcher(Files.readString(page));
            while (link.find()) {
                String file = link.group(1);
                if (file.matches("[a-z]+:.*")) {
                    continue;
                }
                linked++;
                Path target = (file.isEmpty() ? page : page.resolveSibling(file)).normalize();
                if (!Files.exists(target)) {
                    broken.add(ROOT.relativize(page) + ": " + link.group());
                } else if (link.group(2) != null && target.toString().endsWith(".md")
                        && !anchors.computeIfAbsent(target, DocumentedLinksTest::anchorsOf).contains(link.group(2))) {
                    broken.add(ROOT.relativize(page) + ": " + link.group() + " (no such heading)");
                }
            }
        }
        assertTrue(linked > 100, "the pattern finds the pages' links: " + linked);
        assertEquals(List.of(), broken, "links to files or headings that do not exist");
    }

    /**
     * GitHub's anchors of a page's headings (outside code blocks): lower case, punctuation dropped, spaces as
     * hyphens, a repeated one numbered {@code -1}, {@code -2}, …
     */
    private static Set<String> anchorsOf(Path page) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean code = false;
        try {
            for (String line : Files.readAllLines(page)) {
                code ^= line.startsWith("```");
                Matcher heading = HEADING.matcher(line);
                if (!code && heading.matches()) {
                    String anchor = heading.group(1).strip().toLowerCase(Locale.ROOT)
                            .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                    int n = seen.merge(anchor, 1, Integer::sum) - 1;
                    anchors.add(n == 0 ? anchor : anchor + "-" + n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return anchors;
    }
}
