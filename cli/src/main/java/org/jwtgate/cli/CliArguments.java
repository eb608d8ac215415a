package org.jwtgate.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jwtgate.config.ConfigKeys;

/**
 * The parsed command line: {@code [global options] <command> [operands and options]}. Global
 * options ({@code --config FILE}, {@code --set key=value}, {@code --verbose}, {@code --help}) may
 * stand anywhere; {@code --opt value} and {@code --opt=value} are both accepted; {@code --} ends the
 * options. Everything is checked here, so a command starts only with well-formed input.
 */
public final class CliArguments {

    /** What --bits and --exp take: no sign (neither is ever negative), and no other script's digits. */
    private static final java.util.regex.Pattern ASCII_DIGITS = java.util.regex.Pattern.compile("[0-9]+");
    /** A misspelt command's shape: lower case, as every command is (a secret or password seldom is). */
    private static final java.util.regex.Pattern COMMAND_LIKE = java.util.regex.Pattern.compile("[a-z][a-z-]{0,19}");
    /** A command's start this long or longer is quoted back ({@code rev}, {@code check}). */
    private static final int MIN_PREFIX = 3;
    /** A command followed by up to this many more characters is quoted back ({@code statuss}, {@code revoke-users}). */
    private static final int MAX_EXTRA = 2;
    /** A setting name's shape (dotted lower-case words), as the configuration loader tells a name from a value. */
    private static final java.util.regex.Pattern KEY_SHAPED =
            java.util.regex.Pattern.compile("[a-z0-9_]+(-[a-z0-9_]+)*(\\.[a-z0-9_]+(-[a-z0-9_]+)*)+");
    /**
     * Longer than any setting name (the longest has under 40 characters): not matched against {@link #KEY_SHAPED},
     * whose groups recurse once per word, so a key of a few KB of "-a" overflowed the stack (a StackOverflowError).
     */
    private static final int MAX_KEY_SHAPED_LENGTH = 100;

    /** The grammar of each command: its options and how many operands it takes. */
    public enum Command {
        REVOKE_TOKEN("revoke-token", 0, 1, Set.of("--jti", "--sub", "--exp", "--actor", "--reason"),
                "<jwt | - | --jti ID --sub SUB --exp EPOCH [--escaped]> [--actor WHO] [--reason TEXT]",
                "revoke one token (actor and reason go to the audit trail)"),
        REVOKE_USER("revoke-user", 1, 1, Set.of("--actor", "--reason"), "<sub> [--escaped] [--actor WHO] [--reason TEXT]",
                "revoke every token of a user issued up to now"),
        STATUS("status", 1, 1, Set.of(), "<jwt | ->", "say whether a token is valid, expired, revoked or invalid, and why"),
        GEN_SECRET("gen-secret", 0, 0, Set.of("--bits"), "[--bits 256|384|512]", "print a random HMAC secret for jwt.secret"),
        CHECK_CONFIG("check-config", 1, 1, Set.of("--filter"), "<web.xml | file.properties> [--filter NAME]",
                "validate a configuration with the filter's rules, print it with secrets masked; it contacts nothing"
                        + " (a redis.user / redis.password Redis refuses passes here: status of a valid token asks Redis)");

        private final String commandName;
        private final int minOperands;
        private final int maxOperands;
        private final Set<String> options;
        private final String synopsis;
        private final String summary;

        Command(String commandName, int minOperands, int maxOperands, Set<String> options, String synopsis, String summary) {
            this.commandName = commandName;
            this.minOperands = minOperands;
            this.maxOperands = maxOperands;
            this.options = options;
            this.synopsis = synopsis;
            this.summary = summary;
        }

        public String commandName() {
            return commandName;
        }

        String synopsis() {
            return synopsis;
        }

        String summary() {
            return summary;
        }

        static Command byName(String name) {
            for (Command command : values()) {
                if (command.commandName.equals(name)) {
                    return command;
                }
            }
            return null;
        }
    }

    /** gen-secret sizes: the HS256/HS384/HS512 minimums (RFC 7518 §3.2). */
    public static final Set<Integer> SECRET_BITS = Set.of(256, 384, 512);
    /** Reads the token from standard input, keeping it out of the shell history and the process list. */
    public static final String STDIN = "-";
    /** The subject or jti is written as status prints it. */
    static final String ESCAPED = "--escaped";

    private final Command command;
    private final List<String> operands;
    private final Map<String, String> options;
    private final Path configFile;
    private final Map<String, String> sets;
    private final boolean verbose;
    private final boolean help;
    private final boolean escaped;

    private CliArguments(Command command, List<String> operands, Map<String, String> options, Path configFile,
                         Map<String, String> sets, boolean verbose, boolean help, boolean escaped) {
        this.command = command;
        this.operands = List.copyOf(operands);
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        this.configFile = configFile;
        this.sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
        this.verbose = verbose;
        this.help = help;
        this.escaped = escaped;
    }

    /** @throws CliException (exit 2) naming the offending argument */
    public static CliArguments parse(String... args) {
        Command command = null;
        List<String> operands = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> sets = new LinkedHashMap<>();
        Path configFile = null;
        boolean verbose = false;
        boolean help = false;
        boolean escaped = false;
        boolean optionsEnded = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("--") && !arg.equals("-v") && !arg.equals("-h")) {
                if (command == null && !optionsEnded) {
                    command = Command.byName(arg);
                    if (command == null) {
                        String shown = looksLikeACommand(arg) ? "[" + arg + "]" : "(not shown: not a command name)";
                        throw CliException.usage("Unknown command " + shown + "; commands: " + commandNames());
                    }
                } else {
                    operands.add(arg);
                }
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = arg;
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            }
            switch (name) {
                case "--verbose", "-v" -> verbose = noValue(name, inlineValue, true);
                case "--help", "-h" -> help = noValue(name, inlineValue, true);
                case ESCAPED -> escaped = noValue(name, inlineValue, true);
                case "--config" -> {
                    if (configFile != null) {
                        throw CliException.usage("Option [--config] given twice");
                    }
                    configFile = fileNamed(requireValue(name, inlineValue, args, i));
                    i += inlineValue == null ? 1 : 0;
                }
                case "--set" -> {
                    String assignment = requireValue(name, inlineValue, args, i);
                    i += inlineValue == null ? 1 : 0;
                    putSetting(sets, assignment);
                }
                default -> {
                    // Before its value is taken: `--verbos revoke-user alice` would take the command as the value and
                    // blame [alice] as an unknown command. Which command the option belongs to is checked below.
                    if (!isCommandOption(name)) {
                        throw unknownOption(name, command);
                    }
                    // Command options are checked once the command is known (they may precede it).
                    String value = requireValue(name, inlineValue, args, i);
                    i += inlineValue == null ? 1 : 0;
                    if (options.put(name, value) != null) {
                        throw CliException.usage("Option " + Printable.argument(name) + " given twice");
                    }
                }
            }
        }
        if (configFile != null && sets.containsKey(ConfigKeys.CONFIG_FILE)) {
            throw CliException.usage("Give the properties file either as --config or as --set config.file, not both");
        }
        if (command == null) {
            if (help) {
                return new CliArguments(null, operands, options, configFile, sets, verbose, true, escaped);
            }
            throw CliException.usage("No command given; commands: " + commandNames() + " (--help for usage)");
        }
        // `revoke-user "$SUB"` with a sub "-h": the usage and exit 0, nobody revoked. A revocation's exit 0 means done.
        if (help && (command == Command.REVOKE_USER || command == Command.REVOKE_TOKEN)) {
            throw CliException.usage(command.commandName + " takes no --help; nothing was done (--help alone lists the"
                    + " commands; to name a subject such as -h or --help, put -- before it: " + command.commandName
                    + " [options] -- SUB)");
        }
        if (!help) {
            check(command, operands, options);
            boolean byIdentity = options.containsKey("--jti") || options.containsKey("--sub");
            if (escaped && command != Command.REVOKE_USER && !(command == Command.REVOKE_TOKEN && byIdentity)) {
                throw CliException.usage("Option [" + ESCAPED + "] is for revoke-user and revoke-token --jti/--sub: it"
                        + " reads the subject or jti as status prints it");
            }
        }
        return new CliArguments(command, operands, options, configFile, sets, verbose, help, escaped);
    }

    private static boolean noValue(String name, String inlineValue, boolean flag) {
        if (inlineValue != null) {
            throw CliException.usage("Option [" + name + "] takes no value");
        }
        return flag;
    }

    private static String requireValue(String name, String inlineValue, String[] args, int i) {
        if (inlineValue != null) {
            return inlineValue;
        }
        if (i + 1 >= args.length) {
            throw CliException.usage("Option " + Printable.argument(name) + " needs a value");
        }
        String value = args[i + 1];
        // `revoke-user "$SUB" --reason "$WHY"` with a sub "--actor": --actor took "--reason" and WHY became the
        // subject, another user revoked with exit 0. A value that looks like an option is given as name=value.
        if (value.startsWith("--") || value.equals("-v") || value.equals("-h")) {
            int equals = value.indexOf('=');
            String shown = equals > 0 ? value.substring(0, equals) + "=…" : value; // --set=redis.password=…: not its value
            throw CliException.usage("Option " + Printable.argument(name) + " needs a value, and the next argument "
                    + Printable.argument(shown) + " looks like an option: give such a value as " + name + "=VALUE, and put"
                    + " -- before an operand that could start with -- (revoke-user --reason TEXT -- SUB)");
        }
        return value;
    }

    private static void putSetting(Map<String, String> sets, String assignment) {
        int equals = assignment.indexOf('=');
        if (equals <= 0) {
            throw CliException.usage("Option [--set] takes key=value, e.g. --set jwt.issuer=https://issuer.example");
        }
        String key = assignment.substring(0, equals).trim();
        if (!ConfigKeys.isKnown(key)) {
            String nearest = ConfigKeys.nearest(key);
            // `--set "jwt.secret $SECRET"`: gen-secret's base64 ends with =, so the "key" is the secret. Quoted only
            // when it looks like a setting name or a typo of one, as the properties file's unknown keys are.
            boolean keyShaped = key.length() <= MAX_KEY_SHAPED_LENGTH && KEY_SHAPED.matcher(key).matches();
            String shown = keyShaped || nearest != null ? "[" + key + "]"
                    : "(not shown: not a setting name, and it may hold a value such as a secret)";
            throw CliException.usage("Unknown setting " + shown + " in --set"
                    + (nearest != null ? "; did you mean [" + nearest + "]?" : ""));
        }
        if (sets.put(key, assignment.substring(equals + 1)) != null) {
            throw CliException.usage("Setting [" + key + "] given twice with --set");
        }
    }

    private static boolean isCommandOption(String name) {
        for (Command command : Command.values()) {
            if (command.options.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** @param command the command, or null when the option comes before it */
    private static CliException unknownOption(String option, Command command) {
        if (command == null) {
            return CliException.usage("Unknown option " + Printable.argument(option) + "; options: --config FILE,"
                    + " --set key=value, --verbose, --help, then the command's own (--help lists them)");
        }
        return CliException.usage("Unknown option " + Printable.argument(option) + " for " + command.commandName
                + "; usage: " + command.commandName + " " + command.synopsis);
    }

    private static void check(Command command, List<String> operands, Map<String, String> options) {
        for (String option : options.keySet()) {
            if (!command.options.contains(option)) {
                throw unknownOption(option, command);
            }
        }
        if (operands.size() < command.minOperands || operands.size() > command.maxOperands) {
            throw CliException.usage("Wrong number of arguments for " + command.commandName + "; usage: "
                    + command.commandName + " " + command.synopsis);
        }
        switch (command) {
            case REVOKE_TOKEN -> checkRevokeToken(operands, options);
            case GEN_SECRET -> {
                if (options.containsKey("--bits")) {
                    bitsOf(options.get("--bits"));
                }
            }
            default -> {
            }
        }
    }

    private static void checkRevokeToken(List<String> operands, Map<String, String> options) {
        boolean byIdentity = options.containsKey("--jti") || options.containsKey("--sub") || options.containsKey("--exp");
        if (byIdentity && !operands.isEmpty()) {
            throw CliException.usage("revoke-token takes either a token or --jti, --sub and --exp, not both");
        }
        if (!byIdentity && operands.isEmpty()) {
            throw CliException.usage("revoke-token needs a token (or - to read it from standard input), "
                    + "or --jti ID --sub SUB --exp EPOCH");
        }
        if (byIdentity) {
            for (String required : List.of("--jti", "--sub", "--exp")) {
                String value = options.get(required);
                if (value == null || value.isBlank()) {
                    throw CliException.usage("revoke-token by identity needs --jti, --sub and --exp; missing [" + required + "]");
                }
            }
            epochSecondsOf(options.get("--exp"));
        }
    }

    /**
     * {@code digits} when it is ASCII digits only, as JwtGate's settings take a number: Integer.parseInt and
     * Long.parseLong also take a sign ("+256") and other scripts' digits ("２５６", Arabic-Indic), which a setting refuses.
     */
    private static String asciiDigits(String digits) {
        if (!ASCII_DIGITS.matcher(digits).matches()) {
            throw new NumberFormatException();
        }
        return digits;
    }

    static int bitsOf(String text) {
        try {
            int bits = Integer.parseInt(asciiDigits(text.trim()));
            if (SECRET_BITS.contains(bits)) {
                return bits;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CliException.usage("Illegal value for option [--bits]: " + Printable.argument(text) + "; expected 256, 384 or 512");
    }

    static long epochSecondsOf(String text) {
        try {
            long seconds = Long.parseLong(asciiDigits(text.trim()));
            if (seconds > 0 && seconds <= java.time.Instant.MAX.getEpochSecond()) { // past Instant.MAX: no instant
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        if (TokenInput.looksLikeToken(text)) {
            // `--exp "$TOKEN"`: echoing the value would print the token, as --sub and --jti no longer do.
            throw CliException.usage("Option [--exp] looks like a token (not shown); it takes the token's exp claim in"
                    + " epoch seconds. To revoke this token, use revoke-token -");
        }
        throw CliException.usage("Illegal value for option [--exp]: " + Printable.argument(text)
                + "; expected the token's exp claim in epoch seconds, e.g. 1767225600");
    }

    /**
     * Whether a word that is no command is quoted back: only a command's start, or a command with a character or two
     * more. {@code jwtgate "$TOKEN"}, or a password that a space after {@code --set redis.password=} made the command,
     * must not be printed.
     */
    private static boolean looksLikeACommand(String word) {
        if (!COMMAND_LIKE.matcher(word).matches()) {
            return false;
        }
        for (Command command : Command.values()) {
            String name = command.commandName;
            if (word.length() >= MIN_PREFIX && name.startsWith(word)
                    || word.startsWith(name) && word.length() - name.length() <= MAX_EXTRA) {
                return true;
            }
        }
        return false;
    }

    private static String commandNames() {
        StringBuilder names = new StringBuilder();
        for (Command command : Command.values()) {
            names.append(names.length() == 0 ? "" : ", ").append(command.commandName);
        }
        return names.toString();
    }

    /** The command, or null when only --help was given. */
    public Command command() {
        return command;
    }

    public List<String> operands() {
        return operands;
    }

    /** The first operand (a token, a subject or a file name). */
    public String operand() {
        return operands.get(0);
    }

    /** A command option's value, or null: {@code option("--jti")}. */
    public String option(String name) {
        return options.get(name);
    }

    /** {@code --config FILE}, or null. */
    public Path configFile() {
        return configFile;
    }

    /** {@code --set key=value} pairs, in order; keys are known setting names. */
    public Map<String, String> sets() {
        return sets;
    }

    public boolean verbose() {
        return verbose;
    }

    public boolean help() {
        return help;
    }

    /** {@code --escaped}: the subject or jti is written as status prints it ({@code \\uXXXX} escapes). */
    public boolean escaped() {
        return escaped;
    }

    /** gen-secret's --bits, 256 by default. */
    public int secretBits() {
        String bits = options.get("--bits");
        return bits == null ? 256 : bitsOf(bits);
    }

    /** revoke-token's --exp, in epoch seconds. */
    public long expiresAtEpochSeconds() {
        return epochSecondsOf(options.get("--exp"));
    }

    /**
     * The file an argument names. A name the JVM cannot use (a NUL; under cron or systemd, with no LANG, the bytes
     * of {@code café} decoded as U+FFFD) is a usage error, not an unexpected one.
     */
    static Path fileNamed(String name) {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw CliException.usage("Cannot read " + Printable.argument(name) + ": no file name this JVM can use ("
                    + e.getReason() + "); with characters beyond ASCII, run it with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
        }
    }
}
