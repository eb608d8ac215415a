package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's settings table is the public contract: it must list exactly the known
 * keys, in order, each row exactly as {@link ConfigKeys#settings()} describes it (requirement,
 * default, range or format, secret, meaning). On a mismatch the expected table is written to
 * {@code target/configuration-table.md}, ready to paste.
 */
class ConfigurationDocsTest {

    private static final Path PAGE = Path.of("..", "docs", "configuration.md");
    private static final String SECTION = "## Settings";
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| (\\*\\*yes\\*\\*|no|one key source|with a Redis store) \\| ([^|]+) \\|");

    private static List<String> tableRows() throws IOException {
        List<String> lines = Files.readAllLines(PAGE);
        int start = lines.indexOf(SECTION);
        assertTrue(start >= 0, PAGE + " has a " + SECTION + " section");
        List<String> rows = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            if (lines.get(i).startsWith("| `")) {
                rows.add(lines.get(i));
            }
        }
        return rows;
    }

    @Test
    void whenConfigurationTableReadThenItListsEveryKnownKeyInOrder() throws IOException {
        List<String> documented = new ArrayList<>();
        for (String line : tableRows()) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                documented.add(row.group(1));
                String defaultValue = ConfigKeys.defaultValue(row.group(1));
                if (defaultValue != null) {
                    assertTrue(row.group(3).contains("`" + defaultValue + "`"),
                            "documented default of " + row.group(1) + " is " + row.group(3).trim() + ", code says " + defaultValue);
                }
            }
        }
        assertEquals(new ArrayList<>(ConfigKeys.all()), documented);
    }

    @Test
    void whenConfigurationTableReadThenEachRowIsTheSettingsOneDescription() throws IOException {
        List<String> expected = ConfigKeys.settings().stream().map(ConfigurationDocsTest::row).toList();
        List<String> actual = tableRows();
        if (!expected.equals(actual)) {
            Path out = Path.of("target", "configuration-table.md");
            Files.createDirectories(out.getParent());
            Files.write(out, expected);
            assertEquals(String.join("\n", expected), String.join("\n", actual),
                    "docs/configuration.md differs from ConfigKeys.settings(); the expected rows are in " + out.toAbsolutePath());
        }
    }

    /** One table row: key | required | default | format or range | meaning. */
    static String row(Setting setting) {
        return "| `" + setting.key() + "` | " + setting.requirement().documented() + " | " + setting.documentedDefaultValue()
                + " | " + setting.documentedFormat() + " | " + setting.meaning() + " |";
    }
}
