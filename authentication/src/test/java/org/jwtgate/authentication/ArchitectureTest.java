package org.jwtgate.authentication;

import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.arch.ModuleArchitecture;

/**
 * Every package declared API or internal, no package cycle in this module's src/main. The module runs
 * filter-core's internal per-request steps (TokenAuthentication) by design, so it is not limited to the
 * declared API as the CLI is.
 */
class ArchitectureTest {

    @Test
    void whenModuleClassesComparedThenRulesHold() {
        ModuleArchitecture.ofThisModule()
                .assertNoPackageCycles()
                .assertEveryPackageDeclared();
    }
}
