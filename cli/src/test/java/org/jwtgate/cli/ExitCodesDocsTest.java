package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exit codes are a contract for scripts: docs/operations.md's table of them lists exactly the
 * codes {@link ExitCode} has, in order, so a code added, renumbered or removed fails here until the
 * page says so.
 */
class ExitCodesDocsTest {

    private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");
    /** The table after "Exit codes:": a header {@code | code | meaning |}, then one row per code. */
    private static final Pattern TABLE =
            Pattern.compile("Exit codes:\\n\\n\\| code \\| meaning \\|\\n\\|---\\|---\\|\\n((?:\\|.*\\|\\n)+)");
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| .+ \\|$", Pattern.MULTILINE);

    @Test
    void whenOperationsPageListsExitCodesThenTheyAreExactlyTheCliCodes() throws IOException {
        String page = Files.readString(OPERATIONS);
        Matcher table = TABLE.matcher(page);
        assertTrue(table.find(), "docs/operations.md has no table of exit codes after 'Exit codes:'");
        List<Integer> documented = ROW.matcher(table.group(1)).results()
                .map(row -> Integer.parseInt(row.group(1))).toList();
        List<Integer> codes = Arrays.stream(ExitCode.values()).map(ExitCode::status).toList();
        assertEquals(codes, documented, "docs/operations.md's exit codes differ from ExitCode's");
    }
}
