package org.jwtgate.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md's table "Packages of filter-core" says, per package, what it may use ("Arrows point to what a
 * package may use"; besides, many log through internal.log and count through internal.metrics). LayeringTest
 * enforces the rules the page lists under "Rules the build enforces"; this test keeps the table itself true: a
 * package of {@code src/main} that depends on another JwtGate package its row does not name fails here, naming both.
 */
class ArchitectureDocsTest {

    private static final Path PAGE = Path.of("..", "docs", "ARCHITECTURE.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(org\\.jwtgate[a-z.]*)` \\| (?:API|internal) \\| .* \\| ([^|]+) \\|$");
    /** Every package may log and count. */
    private static final Set<String> EVERYWHERE = Set.of("org.jwtgate.internal.log", "org.jwtgate.internal.metrics");

    /** Package → the JwtGate packages its row allows, from the page. */
    private static Map<String, Set<String>> documented() throws IOException {
        List<String> lines = Files.readAllLines(PAGE);
        int start = lines.indexOf("## Packages of filter-core");
        assertTrue(start >= 0, PAGE + " has a section Packages of filter-core");
        Map<String, String> uses = new LinkedHashMap<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            Matcher row = ROW.matcher(lines.get(i));
            if (row.matches()) {
                uses.put(row.group(1), row.group(2).strip());
            }
        }
        Map<String, Set<String>> allowed = new TreeMap<>();
        uses.forEach((pkg, text) -> {
            Set<String> packages = new TreeSet<>();
            if (text.startsWith("everything below")) {
                // "everything below, never cdi"
                uses.keySet().stream().filter(other -> !other.equals("org.jwtgate.cdi")).forEach(packages::add);
            } else if (!text.equals("—") && !text.equals("nothing of JwtGate's")) {
                for (String item : text.split(", ")) {
                    String name = item.replaceAll(" \\(.*\\)$", "").strip(); // "internal.revocation (`RequestDeadline`)"
                    if (name.endsWith(" API")) {
                        continue; // servlet API, CDI API
                    }
                    if (name.equals("root")) {
                        packages.add("org.jwtgate");
                    } else if (name.equals("nearcache")) {
                        packages.add("org.jwtgate.internal.revocation.nearcache");
                    } else if (name.endsWith("(.redis)")) {
                        String base = "org.jwtgate." + name.substring(0, name.length() - "(.redis)".length());
                        packages.add(base);
                        packages.add(base + ".redis");
                    } else {
                        packages.add("org.jwtgate." + name);
                    }
                }
            }
            allowed.put(pkg, packages);
        });
        return allowed;
    }

    @Test
    void whenAPackageUsesAnotherThenThePackageTableAllowsIt() throws IOException {
        Map<String, Set<String>> allowed = documented();
        assertTrue(allowed.size() > 20, "the table's rows: " + allowed.keySet());
        for (Set<String> packages : allowed.values()) {
            assertTrue(allowed.keySet().containsAll(packages), "the table names a package it has no row for: " + packages);
        }
        JavaClasses main = new ClassFileImporter().importPath(Path.of("target", "classes"));
        Map<String, Set<String>> undocumented = new TreeMap<>();
        for (JavaClass type : main) {
            String from = type.getPackageName();
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                String to = dependency.getTargetClass().getPackageName();
                if (!to.equals("org.jwtgate") && !to.startsWith("org.jwtgate.") || to.equals(from) || EVERYWHERE.contains(to)) {
                    continue;
                }
                if (!allowed.containsKey(from) || !allowed.get(from).contains(to)) {
                    undocumented.computeIfAbsent(from + " -> " + to, k -> new TreeSet<>())
                            .add(type.getSimpleName() + " -> " + dependency.getTargetClass().getSimpleName());
                }
            }
        }
        assertEquals(Map.of(), undocumented, "dependencies docs/ARCHITECTURE.md's package table does not allow");
    }
}
