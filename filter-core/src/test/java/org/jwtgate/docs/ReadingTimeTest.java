package org.jwtgate.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's "first hour" gives the words of each path (README and one page) as a range: counted here as {@code wc -w}
 * counts them, so the range a newcomer plans by follows the pages as they grow (a newcomer counted 7,770 where the
 * page said at most 7,200).
 */
class ReadingTimeTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern RANGE = Pattern.compile("each path ([0-9,]+)–([0-9,]+) words with this page");
    /** How far a stated bound may lie from the count: the pages change by a paragraph without a new range. */
    private static final int SLACK = 300;

    @Test
    void whenTheReadmeStatesTheFirstHoursWordsThenTheyAreThePathsCounts() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher range = RANGE.matcher(readme);
        assertTrue(range.find(), "README.md states the first hour's words: " + RANGE.pattern());
        int low = Integer.parseInt(range.group(1).replace(",", ""));
        int high = Integer.parseInt(range.group(2).replace(",", ""));
        int readmeWords = words(readme);
        int fewest = Integer.MAX_VALUE;
        int most = 0;
        for (String page : List.of("docs/ARCHITECTURE.md", "docs/configuration.md", "docs/sample.md")) {
            int path = readmeWords + words(Files.readString(ROOT.resolve(page)));
            fewest = Math.min(fewest, path);
            most = Math.max(most, path);
        }
        assertTrue(Math.abs(low - fewest) <= SLACK && Math.abs(high - most) <= SLACK,
                "README.md says " + low + "–" + high + " words; the paths count " + fewest + "–" + most);
    }

    /** As {@code wc -w}: runs of characters that are not white space. */
    private static int words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
