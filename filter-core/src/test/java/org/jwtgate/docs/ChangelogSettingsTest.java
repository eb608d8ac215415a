package org.jwtgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jwtgate.config.ConfigKeys;
import org.junit.jupiter.api.Test;

/**
 * What a user reads before upgrading, the CHANGELOG's unreleased section and the upgrade notes, names settings
 * ({@code `redis.user`}, {@code `csrf.mode=origin`}, {@code `jwt.jwks-*-seconds`}); each must be a setting the code
 * knows, or a user looks for a parameter that a later change renamed. Released sections are left alone: they
 * describe their own release.
 */
class ChangelogSettingsTest {

    private static final Path ROOT = Path.of("..");
    /** A backquoted name in a setting's namespace, up to its closing quote or its {@code =value}; {@code *} globs. */
    private static final Pattern SETTING = Pattern.compile(
            "`((?:jwt|token|claims|paths|csrf|revocation|redis|dpop|metrics|config)\\.[a-z0-9.*-]*[a-z0-9*])[`=]");
    /** Files that share a namespace's first word: {@code `redis.conf`}, {@code `revocation.md`}. */
    private static final Pattern FILE_NAME = Pattern.compile(".*\\.(md|conf|pid|sh|xml|properties)");

    @Test
    void whenTheUnreleasedChangesOrTheUpgradeNotesNameASettingThenItExists() throws IOException {
        String text = unreleasedSection() + upgradeNotes();
        Set<String> known = ConfigKeys.all();
        Set<String> unknown = new TreeSet<>();
        int named = 0;
        Matcher m = SETTING.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            if (FILE_NAME.matcher(name).matches()) {
                continue;
            }
            named++;
            Pattern glob = Pattern.compile(Pattern.quote(name).replace("*", "\\E.*\\Q"));
            if (known.stream().noneMatch(key -> glob.matcher(key).matches())) {
                unknown.add(name);
            }
        }
        assertTrue(named > 50, "the pattern finds the settings named: " + named);
        assertEquals(Set.of(), unknown, "settings named in CHANGELOG.md (unreleased) or docs/operations.md (Upgrading) that"
                + " ConfigKeys does not know");
    }

    /** CHANGELOG.md from its top to the first released version's heading ({@code ## 1.0.0 — …}). */
    private static String unreleasedSection() throws IOException {
        String changelog = Files.readString(ROOT.resolve("CHANGELOG.md"));
        Matcher released = Pattern.compile("(?m)^## \\d").matcher(changelog);
        assertTrue(released.find(), "CHANGELOG.md has a released version's section");
        return changelog.substring(0, released.start());
    }

    /** docs/operations.md's "## Upgrading" section. */
    private static String upgradeNotes() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("docs").resolve("operations.md"));
        int start = lines.indexOf("## Upgrading");
        assertTrue(start >= 0, "docs/operations.md has an Upgrading section");
        List<String> section = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            section.add(lines.get(i));
        }
        return String.join("\n", section);
    }
}
