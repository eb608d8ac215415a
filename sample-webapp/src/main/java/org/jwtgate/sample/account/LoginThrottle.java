package org.jwtgate.sample.account;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jwtgate.sample.settings.SampleSettings;
import org.jwtgate.sample.redis.SampleKeys;
import org.jwtgate.sample.redis.SampleRedis;

/**
 * Login throttling in Redis, per account and per client address. Every attempt is counted
 * before the password is checked (an atomic INCR, so parallel guesses cannot slip past the
 * limit) and a success, or an attempt whose password was never checked (503), takes its count back. An IPv6 client is counted by its /64. Once a counter holds more than
 * {@code SAMPLE_LOGIN_MAX_FAILURES} within the window, attempts are refused with 429 until the
 * window ends: the same for existing and unknown accounts, and from however many addresses
 * (the per-account counter does not care where the guesses come from). An attempt one counter refuses is not
 * counted by the other.
 */
@Singleton
public class LoginThrottle {

    /** INCR, starting the window on the first count; returns {count, remaining ms}. */
    private static final String COUNT = "local n = redis.call('INCR', KEYS[1]) "
            + "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end "
            + "local ttl = redis.call('PTTL', KEYS[1]) "
            + "if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end "
            + "return {n, ttl}";
    /** Takes back one count (never below zero). */
    private static final String UNCOUNT = "local n = tonumber(redis.call('GET', KEYS[1]) or '0') "
            + "if n > 0 then redis.call('DECR', KEYS[1]) end return 0";

    /**
     * An IPv6 literal without a zone: hex digits, dots (an embedded IPv4 address) and at least one colon, starting with
     * a hex digit or a colon (what InetAddress parses as a literal; anything else it would look up by name).
     */
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f.:]*");

    private final SampleRedis redis;
    private final int maxFailures;
    private final Duration window;

    @Inject
    public LoginThrottle(SampleRedis redis, SampleSettings settings) {
        this.redis = redis;
        this.maxFailures = settings.loginMaxFailures();
        this.window = settings.loginWindow();
    }

    /** One attempt, before the check. */
    public record Attempt(String accountKey, String addressKey, Optional<Duration> refusedFor) {
    }

    /**
     * Counts an attempt for this (possibly unknown) username and address.
     *
     * @return the attempt, refused for the returned time when a counter is past the limit
     */
    public Attempt begin(String username, String address) {
        String accountKey = SampleKeys.accountFailures(username == null ? "" : username.trim().toLowerCase(Locale.ROOT));
        String addressKey = SampleKeys.addressFailures(client(address));
        // An attempt one counter refuses checks no password, so the other does not count it: a client refused for
        // its guesses cannot push the accounts it names to their limit (nor leave a counter per made-up name), and a
        // locked account's owner trying again does not lock the address out for everyone behind it.
        Duration wait = count(addressKey);
        if (wait.isZero()) {
            wait = count(accountKey);
            if (!wait.isZero()) {
                uncount(addressKey);
            }
        }
        return new Attempt(accountKey, addressKey, wait.isZero() ? Optional.empty() : Optional.of(wait));
    }

    /** One more attempt on this counter: how long attempts stay refused, zero while it is within the limit. */
    private Duration count(String key) {
        List<?> reply = redis.call("counting a login attempt", r -> (List<?>) r.eval(COUNT, List.of(key),
                List.of(Long.toString(window.toMillis()))));
        long count = ((Number) reply.get(0)).longValue();
        long remainingMs = ((Number) reply.get(1)).longValue();
        return count > maxFailures ? Duration.ofMillis(Math.max(1, remainingMs)) : Duration.ZERO;
    }

    /**
     * Whom an address's counter counts: an IPv4 address, or an IPv6 address's /64 — a network hands each
     * subscriber a /64 at least, whose 2^64 addresses counted one by one let one client guess without end.
     *
     * @param address the socket's remote address, as the container gives it
     * @return the /64's first address for an IPv6 address (an IPv4-mapped one as IPv4), else {@code address}
     */
    static String client(String address) {
        String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        if (literal.length() > 45 || literal.indexOf(':') < 0 || !IPV6_LITERAL.matcher(literal).matches()) {
            return address;
        }
        try {
            // Hex digits, dots and a colon: parsed as an IPv6 literal (or refused), never looked up by name.
            InetAddress parsed = InetAddress.getByName(literal);
            if (!(parsed instanceof Inet6Address)) {
                return parsed.getHostAddress();
            }
            byte[] network = parsed.getAddress();
            Arrays.fill(network, 8, 16, (byte) 0);
            return InetAddress.getByAddress(network).getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** The credentials were right: this attempt was no failure, and the account's count starts over. */
    public void succeeded(Attempt attempt) {
        redis.call("resetting login counters", r -> {
            r.del(attempt.accountKey());
            r.eval(UNCOUNT, List.of(attempt.addressKey()), List.of());
            return null;
        });
    }

    /**
     * The attempt got no answer about its password (503: the hasher saturated, Redis away): no failure, so both
     * counters take it back, and a user retrying as the 503 told her is not locked out for it.
     */
    public void unanswered(Attempt attempt) {
        uncount(attempt.accountKey());
        uncount(attempt.addressKey());
    }

    private void uncount(String key) {
        redis.call("taking back a login count", r -> r.eval(UNCOUNT, List.of(key), List.of()));
    }

    public int maxFailures() {
        return maxFailures;
    }
}
