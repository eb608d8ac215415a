package org.jwtgate.cli;

import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.arch.ModuleArchitecture;

/** Every package declared API or internal, no package cycle in this module's src/main, and only JwtGate's declared API is used. */
class ArchitectureTest {

    @Test
    void whenModuleClassesComparedThenRulesHold() {
        ModuleArchitecture.ofThisModule()
                .assertNoPackageCycles()
                .assertEveryPackageDeclared()
                .assertUsesOnlyJwtGateApi();
    }
}
