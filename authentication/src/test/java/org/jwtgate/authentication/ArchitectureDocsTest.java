package org.jwtgate.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md's table of this module's packages ("The Jakarta Authentication module") says what each uses of
 * filter-core and of this module: a package of {@code src/main} that depends on a JwtGate package its row does not
 * name fails here, naming the classes (logging and counting, internal.log and internal.metrics, aside, as the
 * page's note on filter-core's table says).
 */
class ArchitectureDocsTest {

    private static final Path PAGE = Path.of("..", "docs", "ARCHITECTURE.md");
    private static final Pattern ROW = Pattern.compile(
            "^\\| `(org\\.jwtgate\\.(?:internal\\.)?authentication[a-z.]*)` \\| (?:API|internal) \\| .* \\| ([^|]+) \\|$");
    private static final Set<String> EVERYWHERE = Set.of("org.jwtgate.internal.log", "org.jwtgate.internal.metrics");

    /** Package → the JwtGate packages its row names. */
    private static Map<String, Set<String>> documented() throws IOException {
        List<String> lines = Files.readAllLines(PAGE);
        int start = lines.indexOf("## The Jakarta Authentication module");
        assertTrue(start >= 0, PAGE + " has a section The Jakarta Authentication module");
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            Matcher row = ROW.matcher(lines.get(i));
            if (!row.matches()) {
                continue;
            }
            Set<String> packages = new TreeSet<>();
            for (String item : row.group(2).split("[,;] ")) {
                // "filter-core's config", "internal.web (the steps and the request attributes)", "the module"
                String name = item.replaceFirst("^filter-core's ", "").replaceAll(" \\(.*\\)$", "").strip();
                packages.add(name.equals("the module") ? "org.jwtgate.authentication"
                        : name.equals("root") ? "org.jwtgate" : "org.jwtgate." + name);
            }
            allowed.put(row.group(1), packages);
        }
        return allowed;
    }

    @Test
    void whenAPackageUsesAnotherThenTheModulesPackageTableAllowsIt() throws IOException {
        Map<String, Set<String>> allowed = documented();
        assertEquals(Set.of("org.jwtgate.authentication", "org.jwtgate.internal.authentication",
                "org.jwtgate.internal.authentication.registration"), allowed.keySet(), "the table's rows");
        JavaClasses main = new ClassFileImporter().importPath(Path.of("target", "classes"));
        Map<String, Set<String>> undocumented = new TreeMap<>();
        for (JavaClass type : main) {
            String from = type.getPackageName();
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                String to = dependency.getTargetClass().getPackageName();
                if (!to.equals("org.jwtgate") && !to.startsWith("org.jwtgate.") || to.equals(from) || EVERYWHERE.contains(to)) {
                    continue;
                }
                if (!allowed.getOrDefault(from, Set.of()).contains(to)) {
                    undocumented.computeIfAbsent(from + " -> " + to, k -> new TreeSet<>())
                            .add(type.getSimpleName() + " -> " + dependency.getTargetClass().getSimpleName());
                }
            }
        }
        assertEquals(Map.of(), undocumented, "dependencies docs/ARCHITECTURE.md's table of the module's packages does not name");
    }
}
