package org.jwtgate.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code --name value} command-line options with defaults. An unknown name, a missing value or a
 * value of the wrong form is an {@link IllegalArgumentException} naming the option and the value.
 */
final class Options {

    /**
     * A system property: when {@code true}, a harness's {@code main} checks its options and exits (0, 2 as for a bad
     * option, {@link #HELP_SHOWN_WHILE_CHECKING} for {@code --help}) without running. The run-*.sh scripts check a
     * later part's options before the minutes of JMH.
     */
    static final String CHECK_ONLY = "org.jwtgate.bench.check-options";

    /**
     * The exit status of {@code --help} under {@link #CHECK_ONLY}, after the usage: not 0, which tells a script that
     * the options hold and it may run, nor 2, a bad option. The usage was the answer asked for: the script stops.
     */
    static final int HELP_SHOWN_WHILE_CHECKING = 3;

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /** @param defaults every accepted option (without the dashes) and its default value */
    static Options parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || !defaults.containsKey(arg.substring(2))) {
                throw new IllegalArgumentException("Unknown option [" + arg + "]; known: " + usage(defaults));
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("Option [" + arg + "] needs a value");
            }
            values.put(arg.substring(2), args[++i]);
        }
        return new Options(values);
    }

    /** A benchmark's run: false when it is not valid (exit 1). */
    @FunctionalInterface
    interface Run {
        boolean run(PrintStream out) throws Exception;
    }

    /**
     * A benchmark's {@code main}: the benchmark {@code create} makes of the options, run on standard output; exit 0, 1
     * when the run is not valid, 2 with the message on standard error for an unknown option or a bad value.
     * {@code --help} (or {@code -h}) in an option's place prints the options and their defaults instead, exit 0.
     * With the system property {@link #CHECK_ONLY} {@code true}, exit 0 once the options hold, without running, and
     * {@link #HELP_SHOWN_WHILE_CHECKING} after the usage.
     */
    static void main(String[] args, Map<String, String> defaults, Function<Options, Run> create) throws Exception {
        for (int i = 0; i < args.length; i += 2) { // every option takes a value: names stand at even places
            if (args[i].equals("--help") || args[i].equals("-h")) {
                // The class whose main called this one: the harness the user ran.
                String harness = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass().getName();
                System.out.println("usage: java -cp benchmarks/target/jwtgate-benchmarks.jar " + harness + " [--option value]...");
                System.out.println("options, with their defaults: " + usage(defaults));
                System.exit(Boolean.getBoolean(CHECK_ONLY) ? HELP_SHOWN_WHILE_CHECKING : 0);
                return;
            }
        }
        Run benchmark;
        try {
            benchmark = create.apply(parse(args, defaults));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (Boolean.getBoolean(CHECK_ONLY)) {
            System.exit(0);
            return;
        }
        System.exit(benchmark.run(System.out) ? 0 : 1);
    }

    static String usage(Map<String, String> defaults) {
        StringBuilder usage = new StringBuilder();
        defaults.forEach((name, value) -> usage.append("--").append(name).append(' ').append(value).append("  "));
        return usage.toString().trim();
    }

    String text(String name) {
        return values.get(name);
    }

    /** A whole number of at least {@code min}. */
    int integer(String name, int min) {
        return integer(name, min, Integer.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max}. */
    int integer(String name, int min, int max) {
        String value = values.get(name);
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Option [--" + name + "] must be a whole number "
                + (max == Integer.MAX_VALUE ? ">= " + min : "from " + min + " to " + max) + ": [" + value + "]");
    }

    /** A comma list of whole numbers, each at least {@code min}. */
    List<Integer> integers(String name, int min) {
        String value = values.get(name);
        List<Integer> numbers = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            try {
                int number = Integer.parseInt(item.trim());
                if (number >= min) {
                    numbers.add(number);
                    continue;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("Option [--" + name + "] must be a comma list of whole numbers >= " + min
                    + ": [" + value + "]");
        }
        return List.copyOf(numbers);
    }

    boolean bool(String name) {
        String value = values.get(name);
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("Option [--" + name + "] must be true or false: [" + value + "]");
    }
}
