package org.jwtgate.testkit.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The architecture rules every JwtGate module checks on its own {@code src/main}, as ArchUnit rules
 * that throw {@link AssertionError} naming each violation. Call them from a test of the module:
 *
 * <pre>{@code
 * @Test
 * void whenPackagesComparedThenNoCycle() {
 *     ModuleArchitecture.ofThisModule().assertNoPackageCycles();
 * }
 * }</pre>
 *
 * Needs {@code com.tngtech.archunit:archunit} on the test classpath (an optional dependency of the test kit).
 */
public final class ModuleArchitecture {

    /** Every package is its own slice. */
    private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
            return "every package";
        }
    };

    private final JavaClasses classes;

    private ModuleArchitecture(JavaClasses classes) {
        this.classes = classes;
    }

    /**
     * The classes compiled from the current module's {@code src/main} ({@code target/classes}).
     *
     * @return the rules over those classes, imported once here
     * @throws IllegalStateException when there is no {@code target/classes} under the working directory (Surefire
     *                               runs in the module's directory)
     */
    public static ModuleArchitecture ofThisModule() {
        Path compiled = Path.of("target", "classes");
        if (!Files.isDirectory(compiled)) {
            throw new IllegalStateException("No " + compiled.toAbsolutePath() + ": run the test from the module's directory");
        }
        return new ModuleArchitecture(new ClassFileImporter().importPath(compiled));
    }

    /**
     * No package depends on itself through other packages.
     *
     * @return this, to check another rule
     * @throws AssertionError naming each cycle's packages and the dependencies that close it
     */
    public ModuleArchitecture assertNoPackageCycles() {
        slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(classes);
        return this;
    }

    /**
     * Every package of {@code src/main/java} has a {@code package-info.java} whose Javadoc begins by
     * declaring it {@code API} or {@code Internal}, and says where it sits in a request's path.
     *
     * @return this, to check another rule
     * @throws AssertionError listing each package without a {@code package-info.java}, the declaration or the
     *                        mention of a request's path
     * @throws java.io.UncheckedIOException when {@code src/main/java} under the working directory cannot be read
     */
    public ModuleArchitecture assertEveryPackageDeclared() {
        Path sources = Path.of("src", "main", "java");
        List<String> problems = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(sources)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                if (!holdsJavaTypes(dir)) {
                    continue;
                }
                Path info = dir.resolve("package-info.java");
                if (!Files.isRegularFile(info)) {
                    problems.add(sources.relativize(dir) + ": no package-info.java");
                    continue;
                }
                String doc = Files.readString(info);
                String first = doc.replaceFirst("(?s)^\\s*/\\*\\*\\s*\\*?\\s*", "");
                if (!first.startsWith("API") && !first.startsWith("Internal")) {
                    problems.add(sources.relativize(info) + ": does not begin with API or Internal");
                }
                if (!doc.contains("request's path")) {
                    problems.add(sources.relativize(info) + ": does not say where it sits in a request's path");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Packages without a declaration:\n  " + String.join("\n  ", problems));
        }
        return this;
    }

    private static boolean holdsJavaTypes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java"));
        }
    }

    /**
     * The module uses JwtGate's declared API only: nothing under {@code org.jwtgate.internal}.
     *
     * @return this, to check another rule
     * @throws AssertionError naming each dependency on an {@code org.jwtgate.internal} class
     */
    public ModuleArchitecture assertUsesOnlyJwtGateApi() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.jwtgate.internal..").check(classes);
        return this;
    }
}
