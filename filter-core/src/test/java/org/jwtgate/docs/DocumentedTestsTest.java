package org.jwtgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs name the tests that show what they say ("Which test exercises what"): each test class they name
 * exists in some module, and each {@code Class.method} they name is a method of it. A renamed or removed
 * test would otherwise leave a statement that nothing checks any more.
 */
class DocumentedTestsTest {

    private static final Path ROOT = Path.of("..");
    /** {@code FooTest}, {@code FooIT}, optionally {@code .methodName}. */
    private static final Pattern TEST_NAME = Pattern.compile("\\b([A-Z][a-z][A-Za-z0-9]*(?:Test|IT))(?:\\.([a-z][A-Za-z0-9]*))?\\b");

    @Test
    void whenTheDocsNameATestThenItExists() throws IOException {
        Map<String, List<Path>> sources = testSources();
        List<String> missing = new ArrayList<>();
        int named = 0;
        for (Path doc : docs()) {
            Matcher m = TEST_NAME.matcher(Files.readString(doc));
            while (m.find()) {
                named++;
                List<Path> files = sources.get(m.group(1));
                if (files == null) {
                    missing.add(ROOT.relativize(doc) + ": class " + m.group(1));
                } else if (m.group(2) != null && !m.group(2).equals("java") && files.stream()
                        .noneMatch(file -> read(file).contains(" " + m.group(2) + "("))) {
                    missing.add(ROOT.relativize(doc) + ": method " + m.group(1) + "." + m.group(2));
                }
            }
        }
        assertTrue(named > 50, "the pattern finds the docs' test names: " + named);
        assertEquals(List.of(), missing, "tests the docs name that do not exist");
    }

    /** README and docs/ (not the CHANGELOG: it may name a test that a later change removed). */
    static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
            pages.filter(page -> page.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** Simple class name of every test source of every module (test kit included) to its files. */
    private static Map<String, List<Path>> testSources() throws IOException {
        Map<String, List<Path>> sources = new HashMap<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(Files::isDirectory).collect(Collectors.toCollection(TreeSet::new))) {
                for (String tree : List.of("src/test/java", "src/main/java")) {
                    Path root = module.resolve(tree);
                    if (!Files.isDirectory(root)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.walk(root)) {
                        files.filter(file -> file.toString().endsWith(".java")).forEach(file -> sources
                                .computeIfAbsent(file.getFileName().toString().replace(".java", ""), k -> new ArrayList<>())
                                .add(file));
                    }
                }
            }
        }
        return sources;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
