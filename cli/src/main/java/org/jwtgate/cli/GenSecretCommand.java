package org.jwtgate.cli;

import java.security.SecureRandom;
import java.util.Base64;
import org.jwtgate.config.SecretKeys;

/**
 * {@code gen-secret [--bits 256|384|512]}: a random HMAC key from the JDK's CSPRNG, printed as a
 * {@code jwt.secret} value ({@code base64:…}, so all its bits count, not just printable ones). It reads no settings, so
 * {@code --config} and {@code --set} are refused with it (exit 2) rather than ignored.
 */
final class GenSecretCommand implements CliCommand {

    private final SecureRandom random;

    GenSecretCommand(SecureRandom random) {
        this.random = random;
    }

    GenSecretCommand() {
        this(new SecureRandom());
    }

    @Override
    public ExitCode run(CliArguments arguments, CliEnvironment environment) {
        // It reads no settings: `--config "$CONF" gen-secret` exited 0 whatever $CONF named (a missing file, /dev/zero),
        // where every other command refuses a file it cannot read. Refused, so a script learns of it; never the value.
        String ignored = arguments.configFile() != null ? "--config" : !arguments.sets().isEmpty() ? "--set" : null;
        if (ignored != null) {
            throw CliException.usage("Option [" + ignored + "] is not for gen-secret, which reads no settings (it prints a"
                    + " new secret for jwt.secret); run it without --config and --set (nothing was generated)");
        }
        byte[] key = new byte[arguments.secretBits() / 8];
        random.nextBytes(key);
        environment.out().println(SecretKeys.BASE64_PREFIX + Base64.getEncoder().encodeToString(key));
        // A PrintStream never throws: `gen-secret > jwt-secret` on a full disk would end 0 with the file empty.
        if (environment.out().checkError()) {
            throw new CliException(ExitCode.FAILURE, "Cannot write the secret to standard output (closed, or its disk"
                    + " full): no secret was written");
        }
        return ExitCode.OK;
    }
}
