package org.jwtgate.cli;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.JwtGateConfig;

/**
 * {@code check-config <web.xml | file.properties> [--filter NAME]}: validates a configuration
 * exactly as {@code JwtAuthFilter.init()} would (same loader, same rules, this process's
 * {@code JWTGATE_*} variables and {@code ${env:…}} references), then prints the effective
 * settings with secrets masked. A web.xml is checked filter by filter. It contacts nothing, so Redis refusing
 * redis.user / redis.password, which also stops {@code init()}, passes here.
 */
final class CheckConfigCommand implements CliCommand {

    /** Enough for a byte-order mark, an indentation and the {@code <} of a descriptor. */
    private static final int SNIFFED_BYTES = 1024;

    @Override
    public ExitCode run(CliArguments arguments, CliEnvironment environment) {
        Path file = CliArguments.fileNamed(arguments.operand());
        // `check-config "$TOKEN"` meant for status: "Cannot read [...]" would print the token.
        if (!Files.exists(file) && TokenInput.looksLikeToken(arguments.operand())) {
            throw CliException.usage("The file to check looks like a token (not shown); check-config takes a web.xml or"
                    + " properties file. To check this token, use status -");
        }
        if (Files.isDirectory(file)) {
            throw CliException.usage("Cannot read [" + file + "]: a directory; give the web.xml or properties file in it");
        }
        if (!Files.isRegularFile(file)) {
            // /dev/zero, a pipe: a configuration is a file, and a device may never end.
            throw CliException.usage("Cannot read [" + file + "]: " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        if (!isWebXml(file)) {
            // --set config.file is --config by another name: the file given here replaces it, so it would go unread.
            if (arguments.configFile() != null || arguments.sets().containsKey(ConfigKeys.CONFIG_FILE)) {
                throw CliException.usage("check-config takes the properties file either as argument or as --config"
                        + " (--set " + ConfigKeys.CONFIG_FILE + "), not both");
            }
            if (arguments.option("--filter") != null) {
                throw CliException.usage("Option [--filter] selects a filter of a web.xml; [" + file + "] is a properties file");
            }
            return report("properties file [" + file + "]", file,
                    () -> CliConfiguration.load(Map.of(), file, arguments, environment),
                    arguments, environment) ? ExitCode.OK : ExitCode.INVALID_INPUT;
        }
        List<WebXmlFilters.FilterDeclaration> filters = WebXmlFilters.read(file, arguments.option("--filter"));
        boolean allValid = true;
        for (WebXmlFilters.FilterDeclaration filter : filters) {
            allValid &= report("filter [" + filter.name() + "] of [" + file + "]", arguments.configFile(),
                    () -> CliConfiguration.load(filter.initParams(), arguments.configFile(), arguments, environment),
                    arguments, environment);
        }
        return allValid ? ExitCode.OK : ExitCode.INVALID_INPUT;
    }

    /**
     * Prints "valid" and the masked settings (and on standard error a warning naming settings that take no effect),
     * or the error naming the key; true when valid.
     */
    private static boolean report(String what, Path configFile, ConfigLoad load, CliArguments arguments,
                                  CliEnvironment environment) {
        JwtGateConfig config;
        try {
            config = load.load();
        } catch (ConfigurationException e) {
            // A filter name, an init-param name or a value from the file may hold a line break: one line each.
            environment.err().println("jwtgate: " + Printable.of(what) + " is invalid: " + Printable.of(e.getMessage()));
            return false;
        }
        environment.out().println(Printable.of(what) + " is valid");
        environment.out().println("  " + config.describe());
        // The servers' start-up WARN; valid all the same (exit 0): such settings were accepted before 1.1.
        CliConfiguration.ineffectiveSettingsWarning(config, configFile, arguments)
                .ifPresent(warning -> environment.warn(what + ": " + warning));
        return true;
    }

    /** By name, else by content: a descriptor starts with '<' (after an optional BOM or blanks). */
    private static boolean isWebXml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".xml")) {
            return true;
        }
        if (name.endsWith(".properties")) {
            return false;
        }
        // Only the start is read: a file given by mistake may be an archive of gigabytes (OutOfMemoryError).
        try (InputStream in = Files.newInputStream(file)) {
            String start = new String(in.readNBytes(SNIFFED_BYTES), StandardCharsets.UTF_8).stripLeading();
            return start.startsWith("\uFEFF<") || start.startsWith("<");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    @FunctionalInterface
    private interface ConfigLoad {
        JwtGateConfig load();
    }
}
