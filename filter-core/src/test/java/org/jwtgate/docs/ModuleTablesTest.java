package org.jwtgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's and ARCHITECTURE's module tables name every module of the parent pom, and nothing else (README also
 * {@code conf/} and {@code docs/}): a module added or renamed would otherwise be missing from the page a newcomer
 * reads first.
 */
class ModuleTablesTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    /** A table row's first cell: {@code | `name` |} or {@code | `name/` |}. */
    private static final Pattern FIRST_CELL = Pattern.compile("^\\| `([a-z-]+)/?` \\|");

    @Test
    void whenTheReadmeListsTheModulesThenItListsThePomsModulesAndTheTwoFolders() throws IOException {
        TreeSet<String> expected = pomModules();
        expected.add("conf");
        expected.add("docs");
        assertEquals(expected, firstCells(ROOT.resolve("README.md"), "| directory | what it holds |"),
                "README.md's Modules table against the parent pom's <module>s");
    }

    @Test
    void whenTheArchitectureListsTheModulesThenItListsThePomsModules() throws IOException {
        assertEquals(pomModules(), firstCells(ROOT.resolve("docs/ARCHITECTURE.md"), "| module | artifact | depends on | holds |"),
                "docs/ARCHITECTURE.md's module table against the parent pom's <module>s");
    }

    private static TreeSet<String> pomModules() throws IOException {
        TreeSet<String> modules = new TreeSet<>();
        Matcher module = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (module.find()) {
            modules.add(module.group(1));
        }
        assertTrue(modules.contains("filter-core") && modules.contains("testkit"), "the pattern finds the parent pom's modules: " + modules);
        return modules;
    }

    /** The first cells of the table under {@code header}, up to its first non-row line. */
    private static TreeSet<String> firstCells(Path page, String header) throws IOException {
        List<String> lines = Files.readAllLines(page);
        int start = lines.indexOf(header);
        assertTrue(start >= 0, page + " has the table headed " + header);
        List<String> names = new ArrayList<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            Matcher cell = FIRST_CELL.matcher(lines.get(i));
            assertTrue(cell.find(), page + ": a row whose first cell is not a module: " + lines.get(i));
            names.add(cell.group(1));
        }
        TreeSet<String> unique = new TreeSet<>(names);
        assertEquals(names.size(), unique.size(), page + " names a module twice: " + names);
        return unique;
    }
}
