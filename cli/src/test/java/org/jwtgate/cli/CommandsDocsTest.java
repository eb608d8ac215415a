package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The commands and options are a contract for scripts, as the exit codes are ({@link ExitCodesDocsTest}):
 * docs/operations.md's synopsis, its table of options and its table of commands name exactly what the parser
 * takes, so a command or an option added, renamed or removed fails here until the page says so.
 */
class CommandsDocsTest {

    private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");
    /** The synopsis block of "The admin CLI": one line in a fence. */
    private static final Pattern SYNOPSIS = Pattern.compile("```\\n(java -jar jwtgate-cli\\.jar \\[--config[^\\n]*)\\n```");
    private static final Pattern OPTION = Pattern.compile("--[a-z]+");

    /** The rows of the table whose header is {@code | <first> | <second> |}, each as its first cell → the row. */
    private static java.util.Map<String, String> rows(String page, String first, String second) {
        Matcher table = Pattern.compile("\\| " + first + " \\| " + second + " \\|\\n\\|---\\|---\\|\\n((?:\\|.*\\|\\n)+)")
                .matcher(page);
        assertTrue(table.find(), "docs/operations.md has no table | " + first + " | " + second + " |");
        java.util.Map<String, String> rows = new java.util.LinkedHashMap<>();
        for (String row : table.group(1).split("\\n")) {
            // The first cell: up to the first " | " not escaped as "\|" (gen-secret's "256\|384\|512").
            Matcher cell = Pattern.compile("^\\| ((?:[^|\\\\]|\\\\\\|)+) \\| ").matcher(row);
            assertTrue(cell.find(), "a row of the table | " + first + " |: " + row);
            rows.put(cell.group(1), row);
        }
        return rows;
    }

    private static Set<String> options(String text) {
        return OPTION.matcher(text).results().map(java.util.regex.MatchResult::group).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    @Test
    void whenOperationsPageShowsTheSynopsisThenItIsTheUsageLine() throws IOException {
        Matcher synopsis = SYNOPSIS.matcher(Files.readString(OPERATIONS));
        assertTrue(synopsis.find(), "docs/operations.md has no synopsis block 'java -jar jwtgate-cli.jar [--config …'");
        assertEquals(JwtGateCli.usage().lines().findFirst().orElseThrow(), "Usage: " + synopsis.group(1));
    }

    @Test
    void whenOperationsPageListsCommandsThenTheyAreExactlyTheCliCommandsInOrder() throws IOException {
        Set<String> documented = new LinkedHashSet<>();
        for (String cell : rows(Files.readString(OPERATIONS), "command", "does").keySet()) {
            documented.add(cell.replace("`", "").split(" ")[0]);
        }
        List<String> commands = Arrays.stream(CliArguments.Command.values()).map(CliArguments.Command::commandName).toList();
        assertEquals(commands, List.copyOf(documented), "docs/operations.md's commands differ from the CLI's");
    }

    /**
     * Each option of a command (its synopsis in {@code --help}) is named in the command's rows or in the table of
     * options; the two tables name only the global options of the usage line, {@code --help} and options of commands.
     */
    @Test
    void whenOperationsPageListsOptionsThenTheyAreExactlyTheOnesTheCliTakes() throws IOException {
        String page = Files.readString(OPERATIONS);
        java.util.Map<String, String> commandRows = rows(page, "command", "does");
        Set<String> inOptionsTable = new TreeSet<>();
        rows(page, "option", "meaning").values().forEach(row -> inOptionsTable.addAll(options(row)));

        Set<String> taken = new TreeSet<>(options(JwtGateCli.usage().lines().findFirst().orElseThrow()));
        taken.add("--help");
        List<String> undocumented = new ArrayList<>();
        for (CliArguments.Command command : CliArguments.Command.values()) {
            Set<String> ofCommand = options(command.synopsis());
            taken.addAll(ofCommand);
            Set<String> documented = new TreeSet<>(inOptionsTable);
            commandRows.forEach((cell, row) -> {
                if (cell.startsWith("`" + command.commandName() + " ")) {
                    documented.addAll(options(row));
                }
            });
            ofCommand.stream().filter(option -> !documented.contains(option))
                    .forEach(option -> undocumented.add(command.commandName() + " " + option));
        }
        assertEquals(List.of(), undocumented, "options of the CLI that docs/operations.md does not name");

        Set<String> named = new TreeSet<>(inOptionsTable);
        commandRows.values().forEach(row -> named.addAll(options(row)));
        named.removeAll(taken);
        assertEquals(Set.of(), named, "options docs/operations.md names that the CLI does not take");
    }

    /**
     * What {@code --help} says of check-config is what the page says: it validates with the filter's rules but
     * contacts nothing, so a redis.user / redis.password Redis refuses, which stops the filter's init(), passes it.
     */
    @Test
    void whenHelpSummarisesCheckConfigThenItSaysItContactsNothingAsThePageDoes() throws IOException {
        String row = rows(Files.readString(OPERATIONS), "command", "does").entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("`check-config ")).findFirst().orElseThrow().getValue();
        assertTrue(row.contains("It contacts nothing"), row);
        String summary = JwtGateCli.usage().lines().dropWhile(line -> !line.startsWith("  check-config ")).skip(1)
                .findFirst().orElseThrow().strip();
        assertTrue(summary.contains("contacts nothing") && !summary.contains("as the filter's init() would"),
                "check-config's --help summary: " + summary);
    }
}
