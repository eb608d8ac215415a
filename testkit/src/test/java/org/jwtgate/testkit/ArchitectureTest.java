package org.jwtgate.testkit;

import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.arch.ModuleArchitecture;

/** Every package declared API or internal, no package cycle in this module's src/main. */
class ArchitectureTest {

    @Test
    void whenModuleClassesComparedThenRulesHold() {
        ModuleArchitecture.ofThisModule()
                .assertNoPackageCycles()
                .assertEveryPackageDeclared();
    }
}
