package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The commands docs/operations.md gives for a new CATALINA_BASE are the ones every Tomcat IT runs to make its own. */
class TomcatBaseCommandsTest {

    @Test
    void whenTheOperationsPageGivesTheBaseCommandsThenTheTomcatTestsRunThemAsWritten() throws IOException {
        String docs = Files.readString(Path.of("../docs/operations.md"));
        assertTrue(docs.contains("```bash\n" + TomcatContainer.MAKE_BASE + "```\n"), TomcatContainer.MAKE_BASE);
    }
}
