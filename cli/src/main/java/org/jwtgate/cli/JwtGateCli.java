package org.jwtgate.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.jwtgate.JwtGateException;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.verify.KeysUnavailableException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The administrator's command line: {@code java -jar jwtgate-cli.jar <command>}.
 * Reads the same settings as the filter; errors are one line on standard error (with the stack
 * trace only under {@code --verbose}), and the exit code says what kind of failure it was
 * ({@link ExitCode}).
 */
public final class JwtGateCli {

    private static final String SIMPLE_LOGGER_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String AUDIT_LOGGER_LEVEL = "org.slf4j.simpleLogger.log.org.jwtgate.audit";
    private static final String OWN_LOGGER_LEVEL = "org.slf4j.simpleLogger.log.org.jwtgate";
    /** Set by {@code bin/jwtgate} to the command its usage names; not {@code jwtgate.*}, which are settings. */
    static final String COMMAND_PROPERTY = "org.jwtgate.cli.command";
    private static final String JAR_COMMAND = "java -jar jwtgate-cli.jar";
    /** Redis 6+'s answer to AUTH with a password when its default user needs none (a plain ERR, not WRONGPASS). */
    private static final String NO_PASSWORD_CONFIGURED = "called without any password configured";
    /** The Redis store's advice when redis.nodes names a cluster node (JwtGateCliIT checks it against a cluster). */
    private static final String CLUSTER_NODE_AS_SINGLE_SERVER = "use revocation.store=redis-cluster";
    /** A server without cluster mode asked for its slots: "ERR This instance has cluster support disabled". */
    private static final String CLUSTER_SUPPORT_DISABLED = "cluster support disabled";
    /** A replica's answer to a write: "READONLY You can't write against a read only replica." */
    private static final String READ_ONLY = "READONLY";
    /**
     * Redis's answers (a plain ERR, not NOPERM) when a script calls a command, or names a key or channel, its user may
     * not: the revocation script's SET for a user without write rights, the Redis 6 announcement's PUBLISH without
     * the channel. Redis 6.2 and 7.0 word it so ...
     */
    private static final String SCRIPT_REFUSED = "The user executing the script can't";
    /** ... and Redis 7.2 and later "ERR ACL failure in script: User … has no permissions …". */
    private static final String SCRIPT_REFUSED_SINCE_7_2 = "ACL failure in script";

    private final Map<CliArguments.Command, CliCommand> commands = new EnumMap<>(CliArguments.Command.class);

    public JwtGateCli() {
        commands.put(CliArguments.Command.REVOKE_TOKEN, new RevokeTokenCommand());
        commands.put(CliArguments.Command.REVOKE_USER, new RevokeUserCommand());
        commands.put(CliArguments.Command.STATUS, new StatusCommand());
        commands.put(CliArguments.Command.GEN_SECRET, new GenSecretCommand());
        commands.put(CliArguments.Command.CHECK_CONFIG, new CheckConfigCommand());
    }

    public static void main(String[] args) {
        boolean verbose = verboseAsked(args);
        // Before any logger exists: the CLI's own binding (slf4j-simple) logs only warnings unless asked, and then
        // JwtGate's own at DEBUG, not the libraries': the JDK's HTTP client writes a JWKS URL's query (its API key).
        if (System.getProperty(SIMPLE_LOGGER_LEVEL) == null) {
            System.setProperty(SIMPLE_LOGGER_LEVEL, "warn");
        }
        if (verbose && System.getProperty(OWN_LOGGER_LEVEL) == null) {
            System.setProperty(OWN_LOGGER_LEVEL, "debug");
        }
        // The audit trail of a revocation made here is printed (stderr) whatever the level above.
        if (System.getProperty(AUDIT_LOGGER_LEVEL) == null) {
            System.setProperty(AUDIT_LOGGER_LEVEL, "info");
        }
        // A claim is Unicode: without a locale (cron, systemd) the JVM writes "sub=josé" as "sub=jos?", a name a script
        // would then revoke. UTF-8 whatever the locale, on both streams (the audit trail's lines go to System.err).
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        System.exit(new JwtGateCli().run(args, CliEnvironment.system()).status());
    }

    /**
     * Whether the arguments ask for {@code --verbose}, as the command reads them: a {@code -v} after {@code --}, or an
     * option's value, is an operand or a value, not the switch. Arguments the command refuses ask for nothing.
     */
    static boolean verboseAsked(String[] args) {
        try {
            return CliArguments.parse(args).verbose();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs one command; never throws. */
    public ExitCode run(String[] args, CliEnvironment environment) {
        boolean verbose = false;
        try {
            CliArguments arguments = CliArguments.parse(args);
            verbose = arguments.verbose();
            if (arguments.help()) {
                environment.out().print(usage(environment.systemProperties().getOrDefault(COMMAND_PROPERTY,
                        JAR_COMMAND)));
                return ExitCode.OK;
            }
            return commands.get(arguments.command()).run(arguments, environment);
        } catch (CliException e) {
            return fail(e.exitCode(), e.getMessage(), e, verbose, environment);
        } catch (ConfigurationException e) {
            return fail(ExitCode.INVALID_INPUT, e.getMessage(), e, verbose, environment);
        } catch (RevocationUnavailableException e) {
            if (refusedByAccessControl(e)) {
                // Redis answered: a retry cannot help, the configuration (or the ACL) must change.
                return fail(ExitCode.INVALID_INPUT, "Redis refused the credentials or the permissions of "
                        + ConfigKeys.REDIS_USER + " / " + ConfigKeys.REDIS_PASSWORD
                        + " (see the ACL in docs/revocation.md): " + e.getMessage(), e, verbose, environment);
            }
            if (answeredAsReplica(e)) {
                // Exit 3 all the same: an endpoint that follows the master (a DNS name, a virtual IP) answers so from
                // the demoted one until a failover ends, and a retry then succeeds. Pointed at a replica, it never does.
                return fail(ExitCode.UNAVAILABLE, "unreachable: Redis answered as a read-only replica: "
                        + ConfigKeys.REDIS_NODES + " must name the master (or a failover is under way): " + e.getMessage(),
                        e, verbose, environment);
            }
            if (namesAnotherKindOfServer(e)) {
                // Redis answered too: a script retrying on exit 3 would retry for good.
                return fail(ExitCode.INVALID_INPUT, "Redis answered, but is not the kind of server "
                        + ConfigKeys.REVOCATION_STORE + " names: " + e.getMessage(), e, verbose, environment);
            }
            return fail(ExitCode.UNAVAILABLE, "unreachable: " + e.getMessage(), e, verbose, environment);
        } catch (KeysUnavailableException e) {
            return fail(ExitCode.UNAVAILABLE, "unreachable: " + e.getMessage(), e, verbose, environment);
        } catch (JwtGateException e) {
            return fail(ExitCode.FAILURE, e.getMessage(), e, verbose, environment);
        } catch (RuntimeException e) {
            // Not a JwtGate message, so not vetted for secrets: the type only, the rest under --verbose.
            return fail(ExitCode.FAILURE, "unexpected " + e.getClass().getName() + " (run with --verbose for details)",
                    e, verbose, environment);
        }
    }

    /**
     * WRONGPASS, NOAUTH or NOPERM somewhere in the causes (Jedis's type for each of them), a redis.password the
     * nodes refuse because their default user has none, or a script's command, key or channel refused by the ACL.
     */
    static boolean refusedByAccessControl(Throwable failure) {
        return anyCause(failure, (cause, message) -> cause instanceof JedisAccessControlException
                || cause instanceof JedisDataException && (message.contains(NO_PASSWORD_CONFIGURED)
                        || message.contains(SCRIPT_REFUSED) || message.contains(SCRIPT_REFUSED_SINCE_7_2)));
    }

    /**
     * A node of a Redis Cluster given to {@code revocation.store=redis} (it redirects: the store's message says to use
     * redis-cluster), or a server without cluster support given to {@code redis-cluster} (Redis's own error).
     */
    static boolean namesAnotherKindOfServer(Throwable failure) {
        return anyCause(failure, (cause, message) -> message.contains(CLUSTER_NODE_AS_SINGLE_SERVER)
                || cause instanceof JedisDataException && message.contains(CLUSTER_SUPPORT_DISABLED));
    }

    /**
     * A write answered READONLY ({@code revocation.store=redis} pointed at a replica): Redis 7 answers a script's write
     * so, Redis 6 wraps it in "ERR Error running script … -READONLY …".
     */
    static boolean answeredAsReplica(Throwable failure) {
        return anyCause(failure, (cause, message) -> cause instanceof JedisDataException
                && (message.startsWith(READ_ONLY) || message.contains("-" + READ_ONLY + " ")));
    }

    /** Whether {@code failure} or one of its causes, with its message ("null" when none), is one {@code test} names. */
    private static boolean anyCause(Throwable failure, java.util.function.BiPredicate<Throwable, String> test) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (test.test(cause, String.valueOf(cause.getMessage()))) {
                return true;
            }
        }
        return false;
    }

    private static ExitCode fail(ExitCode code, String message, Exception e, boolean verbose, CliEnvironment environment) {
        // One line, whatever a file, a value or a name in the message holds.
        environment.err().println("jwtgate: " + Printable.of(message));
        if (verbose) {
            e.printStackTrace(environment.err());
        }
        return code;
    }

    static String usage() {
        return usage(JAR_COMMAND);
    }

    /** The usage, naming {@code launcher} as what runs the CLI ({@code bin/jwtgate} in the distribution). */
    static String usage(String launcher) {
        StringBuilder usage = new StringBuilder()
                .append("Usage: ").append(launcher)
                .append(" [--config FILE] [--set key=value]... [--verbose] <command>\n\n")
                .append("Commands:\n");
        for (CliArguments.Command command : CliArguments.Command.values()) {
            usage.append("  ").append(command.commandName()).append(' ').append(command.synopsis()).append('\n')
                    .append("      ").append(command.summary()).append('\n');
        }
        usage.append("\nSettings come from --set (strongest), then ").append(ConfigKeys.ENVIRONMENT_PREFIX)
                .append("<KEY> variables, ").append(ConfigKeys.SYSTEM_PROPERTY_PREFIX)
                .append("<key> system properties, --config FILE (properties), as for the filter.\n")
                .append("A token argument of - is read from standard input.\n\nExit codes:\n");
        for (ExitCode code : ExitCode.values()) {
            usage.append("  ").append(code.status()).append("  ").append(code.meaning()).append('\n');
        }
        return usage.toString();
    }
}
