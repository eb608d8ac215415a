package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.process.BoundedCommands;

/** The commands docs/operations.md gives for a new CATALINA_BASE are the ones every Tomcat IT runs to make its own. */
class TomcatBaseCommandsTest {

    @Test
    void whenTheOperationsPageGivesTheBaseCommandsThenTheTomcatTestsRunThemAsWritten() throws IOException {
        String docs = Files.readString(Path.of("../docs/operations.md"));
        assertTrue(docs.contains("```bash\n" + TomcatContainer.MAKE_BASE + "```\n"), TomcatContainer.MAKE_BASE);
    }

    @Test
    void whenTomcatsConfHoldsTheFolderARunLeavesThenTheCommandsStillSucceedAndCopyItsFiles(@TempDir Path dir)
            throws Exception {
        // A Tomcat started from CATALINA_HOME leaves conf/Catalina/localhost: before, `cp conf/*` failed on it (exit 1,
        // "-r not specified; omitting directory").
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("conf/Catalina/localhost"));
        Files.writeString(home.resolve("conf/server.xml"), "<Server/>");
        Files.writeString(home.resolve("conf/catalina.properties"), "a=b");
        Path base = dir.resolve("base");
        ProcessBuilder makeBase = new ProcessBuilder("bash", "-e", "-c", TomcatContainer.MAKE_BASE);
        makeBase.environment().put("CATALINA_HOME", home.toString());
        makeBase.environment().put("CATALINA_BASE", base.toString());
        BoundedCommands.Finished made = BoundedCommands.run(makeBase, Duration.ofSeconds(60));
        assertEquals(0, made.exitValue(), made.output());
        assertEquals("<Server/>", Files.readString(base.resolve("conf/server.xml")));
        assertEquals("a=b", Files.readString(base.resolve("conf/catalina.properties")));
        assertTrue(Files.isDirectory(base.resolve("conf/Catalina/localhost")));
        assertFalse(made.output().contains("omitting"), made.output());
    }
}
