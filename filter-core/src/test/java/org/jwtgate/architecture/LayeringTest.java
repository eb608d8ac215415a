package org.jwtgate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.arch.ModuleArchitecture;

/**
 * The layering of filter-core's {@code src/main}, as docs/ARCHITECTURE.md draws it. Each rule fails
 * the build, naming the offending class and dependency, when a change breaks it.
 */
class LayeringTest {

    private static JavaClasses main;

    /** Exactly this module's compiled src/main: no test class, no dependency. */
    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().importPath(Path.of("target", "classes"));
    }

    /** Every package is its own slice (the root package included). */
    static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
            return "every package of org.jwtgate";
        }
    };

    @Test
    void whenPackagesComparedThenNoneDependsOnItselfThroughOthers() {
        slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(main);
    }

    @Test
    void whenPackagesListedThenEachIsDeclaredApiOrInternal() {
        ModuleArchitecture.ofThisModule().assertEveryPackageDeclared();
    }

    @Test
    void whenJedisUsedThenOnlyByTheRedisRevocationPackage() {
        noClasses().that().resideOutsideOfPackage("org.jwtgate.internal.revocation.redis")
                .should().dependOnClassesThat().resideInAPackage("redis.clients..")
                .check(main);
    }

    @Test
    void whenJose4jUsedThenOnlyByVerification() {
        noClasses().that().resideOutsideOfPackage("org.jwtgate.internal.verify")
                .should().dependOnClassesThat().resideInAPackage("org.jose4j..")
                .check(main);
    }

    @Test
    void whenMicrometerUsedThenOnlyByItsAdapterPackage() {
        noClasses().that().resideOutsideOfPackage("org.jwtgate.internal.micrometer")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .because("Micrometer is optional: only classes loaded after Exporters saw it on the class path may name it")
                .check(main);
    }

    @Test
    void whenJmxUsedThenOnlyByItsAdapterPackage() {
        noClasses().that().resideOutsideOfPackage("org.jwtgate.internal.jmx")
                .should().dependOnClassesThat().resideInAPackage("javax.management..")
                .check(main);
    }

    @Test
    void whenConfigurationVerificationOrRevocationThenNoServletTypes() {
        noClasses().that().resideInAnyPackage("org.jwtgate", "org.jwtgate.config..", "org.jwtgate.verify..",
                        "org.jwtgate.internal.verify..", "org.jwtgate.revocation..", "org.jwtgate.internal.revocation..",
                        "org.jwtgate.principal..", "org.jwtgate.engine..", "org.jwtgate.dpop..", "org.jwtgate.internal.dpop..")
                .should().dependOnClassesThat().resideInAPackage("jakarta.servlet..")
                .check(main);
    }

    @Test
    void whenJwtGateLogsThenThroughSystemLoggerNeverSlf4j() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.slf4j..")
                .because("no container gives a WAR an SLF4J provider: org.jwtgate.internal.log.Log uses System.Logger")
                .check(main);
    }

    @Test
    void whenOutsideTheCdiPackageThenNoCdiTypes() {
        noClasses().that().resideOutsideOfPackage("org.jwtgate.cdi")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.enterprise..", "jakarta.inject..")
                .check(main);
    }

    @Test
    void whenCoreRunsThenItNeverNeedsTheCdiPackage() {
        noClasses().that().resideOutsideOfPackage("org.jwtgate.cdi")
                .should().dependOnClassesThat().resideInAPackage("org.jwtgate.cdi")
                .check(main);
    }

    @Test
    void whenApiTypeIsPublicThenItsPublicSignaturesShowNoInternalType() {
        classes().that().arePublic().and().resideOutsideOfPackage("org.jwtgate.internal..")
                .should(exposeNoInternalType())
                .check(main);
    }

    @Test
    void whenLowerLayersThenTheyNeverReachUpToFilterOrEngine() {
        noClasses().that().resideInAnyPackage("org.jwtgate", "org.jwtgate.config", "org.jwtgate.principal",
                        "org.jwtgate.verify", "org.jwtgate.revocation", "org.jwtgate.internal.verify..",
                        "org.jwtgate.internal.revocation..", "org.jwtgate.dpop", "org.jwtgate.internal.dpop..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jwtgate.filter", "org.jwtgate.engine")
                .check(main);
    }

    @Test
    void whenServletLayerThenItNeverReachesUpToTheFilter() {
        noClasses().that().resideInAnyPackage("org.jwtgate.web", "org.jwtgate.internal.token", "org.jwtgate.internal.web")
                .should().dependOnClassesThat().resideInAPackage("org.jwtgate.filter")
                .check(main);
    }

    @Test
    void whenApiTypeIsPublicThenItsJavadocShowsUseAndSince() throws IOException {
        Path sources = Path.of("src", "main", "java", "org", "jwtgate");
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                boolean internal = sources.relativize(file).startsWith("internal");
                boolean publicType = source.lines().anyMatch(line -> line.matches(
                        "public (final |abstract )?(class|interface|record|enum) .*"));
                if (internal || !publicType || file.endsWith("package-info.java")) {
                    continue;
                }
                if (!source.contains("@since")) {
                    missing.add(file + ": no @since");
                }
                if (!typeDescription(source).contains("<pre>{@code")) {
                    missing.add(file + ": no usage example (<pre>{@code …}</pre>) in the type's description,"
                            + " before its @param and @since (after one, javadoc shows it as part of that tag)");
                }
            }
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }

    private static final Pattern PUBLIC_TYPE =
            Pattern.compile("^public (final |abstract )?(class|interface|record|enum) ", Pattern.MULTILINE);
    private static final Pattern BLOCK_TAG = Pattern.compile("^\\s*\\*\\s*@[a-z]", Pattern.MULTILINE);

    /** The type's Javadoc up to its first block tag: what javadoc shows as the type's description. */
    private static String typeDescription(String source) {
        Matcher type = PUBLIC_TYPE.matcher(source);
        if (!type.find()) {
            return "";
        }
        int start = source.lastIndexOf("/**", type.start());
        int end = source.lastIndexOf("*/", type.start());
        if (start < 0 || end < start) {
            return "";
        }
        String comment = source.substring(start, end);
        Matcher blockTag = BLOCK_TAG.matcher(comment);
        return blockTag.find() ? comment.substring(0, blockTag.start()) : comment;
    }

    private static ArchCondition<JavaClass> exposeNoInternalType() {
        DescribedPredicate<JavaClass> internal = JavaClass.Predicates.resideInAPackage("org.jwtgate.internal..");
        return new ArchCondition<>("expose no org.jwtgate.internal type in a public or protected signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (JavaMember member : type.getMembers()) {
                    if (!member.getModifiers().contains(JavaModifier.PUBLIC)
                            && !member.getModifiers().contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    List<JavaClass> shown = new ArrayList<>();
                    if (member instanceof JavaMethod method) {
                        shown.add(method.getRawReturnType());
                    }
                    if (member instanceof com.tngtech.archunit.core.domain.JavaCodeUnit code) {
                        shown.addAll(code.getRawParameterTypes());
                    }
                    if (member instanceof com.tngtech.archunit.core.domain.JavaField field) {
                        shown.add(field.getRawType());
                    }
                    for (JavaClass exposed : shown) {
                        if (internal.test(exposed)) {
                            events.add(SimpleConditionEvent.violated(member, member.getFullName()
                                    + " shows internal type " + exposed.getName()));
                        }
                    }
                }
            }
        };
    }
}
