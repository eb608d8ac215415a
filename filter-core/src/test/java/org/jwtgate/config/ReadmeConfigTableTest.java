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

/** The README's configuration table is the public contract: it must list exactly the known keys, in order. */
class ReadmeConfigTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| (\\*\\*yes\\*\\*|no|one key source|with a Redis store) \\| ([^|]+) \\|");

    @Test
    void whenReadmeConfigurationTableReadThenItListsEveryKnownKeyInOrder() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int start = lines.indexOf("## Configuration");
        assertTrue(start >= 0, "README has a ## Configuration section");
        List<String> documented = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            Matcher row = ROW.matcher(lines.get(i));
            if (row.find()) {
                documented.add(row.group(1));
                String defaultValue = ConfigKeys.defaultValue(row.group(1));
                if (defaultValue != null) {
                    assertTrue(row.group(3).contains("`" + defaultValue + "`"),
                            "README default of " + row.group(1) + " is " + row.group(3).trim() + ", code says " + defaultValue);
                }
            }
        }
        assertEquals(new ArrayList<>(ConfigKeys.all()), documented);
    }
}
