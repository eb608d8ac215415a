package org.jwtgate.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code host:port} of {@code redis.nodes}.
 *
 * <pre>{@code
 * List<RedisNode> nodes = RedisNode.parseList("10.0.0.1:7000,10.0.0.2:7000");
 * }</pre>
 *
 * @param host a host name or address; an IPv6 address without its brackets
 * @param port from 1 to 65535
 * @since 1.0.0
 */
public record RedisNode(String host, int port) {

    /** The form of {@code redis.nodes}, for messages. */
    private static final String EXPECTED = "host:port[,host:port…] (credentials go in [" + ConfigKeys.REDIS_USER + "] and ["
            + ConfigKeys.REDIS_PASSWORD + "], TLS in [" + ConfigKeys.REDIS_SSL + "])";

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    /** What no host or port holds, but an administrator may separate nodes with instead of a comma. */
    private static final Pattern SEPARATOR = Pattern.compile("[\\s;]+");
    /** The characters of host names, addresses and ports. */
    private static final Pattern SHOWABLE = Pattern.compile("[A-Za-z0-9._:\\[\\]%-]*");
    /** An item that is a reference, whole or cut short ({@code ${env:NODES}}, {@code ${file:/run/nodes}): names only. */
    private static final Pattern REFERENCE_ITEM = Pattern.compile("\\$\\{[a-z]*:[A-Za-z0-9._/-]*}?");

    /**
     * Every {@code host:port} of a comma-separated list, as {@code redis.nodes} takes it (blank items skipped; a node
     * listed twice, in any spelling of its host (case, a final dot, an address's forms), refused; so is a list that names no node, {@code ""} or
     * {@code ","}, as {@code redis.nodes} is): never empty.
     *
     * @param text {@code redis.nodes}' value
     * @return the nodes, in the order listed; unmodifiable
     * @throws ConfigurationException naming {@code redis.nodes} and the bad item, or saying it holds none
     */
    public static List<RedisNode> parseList(String text) {
        List<RedisNode> nodes;
        try {
            nodes = parseItems(Arrays.stream(text.split(",")).filter(item -> !item.isBlank()).toList());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Illegal value for setting [" + ConfigKeys.REDIS_NODES + "]: " + e.getMessage());
        }
        if (nodes.isEmpty()) {
            // Its caller connects to what it gets: no seed node would fail there, further from the mistake. The text
            // is shown, as the configuration shows it: it holds nothing but commas and white space.
            throw new ConfigurationException("Illegal value for setting [" + ConfigKeys.REDIS_NODES + "]: [" + text.trim()
                    + "]; expected at least one comma-separated item");
        }
        return nodes;
    }

    /**
     * The nodes of {@code redis.nodes}' items, each listed once: what {@link #parseList} and the configuration both take.
     *
     * @throws IllegalArgumentException naming the bad or repeated item
     */
    static List<RedisNode> parseItems(List<String> items) {
        List<RedisNode> nodes = new ArrayList<>();
        for (String item : items) {
            RedisNode parsed;
            try {
                parsed = parse(item);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + "; expected " + EXPECTED, e);
            }
            String host = sameHostForm(parsed.host());
            if (nodes.stream().anyMatch(known -> known.port() == parsed.port() && sameHostForm(known.host()).equals(host))) {
                throw new IllegalArgumentException("[" + parsed + "] is listed twice");
            }
            nodes.add(parsed);
        }
        return List.copyOf(nodes);
    }

    /**
     * One {@code host:port}, an IPv6 address in brackets ({@code [::1]:7000}); surrounding spaces ignored.
     *
     * @param text the node
     * @return the node
     * @throws IllegalArgumentException when not {@code host:port} with a port from 1 to 65535
     */
    public static RedisNode parse(String text) {
        String t = text.trim();
        if (t.contains("://") || t.indexOf('@') >= 0 || t.indexOf('/') >= 0) {
            throw new IllegalArgumentException("[" + withoutCredentials(t) + "] is a URL, not host:port");
        }
        if (SEPARATOR.matcher(t).find()) {
            // "a:7000;b:7000" or "a:7000 b:7000" was called an IPv6 address without brackets.
            List<String> parts = SEPARATOR.splitAsStream(t).filter(part -> !part.isEmpty())
                    .map(RedisNode::withoutCredentials).toList();
            throw new IllegalArgumentException("[" + String.join(" ", parts) + "] holds a space or a semicolon:"
                    + " separate nodes with commas");
        }
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("[" + withoutCredentials(t) + "] is not host:port");
        }
        String host = t.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        }
        if (!bracketed && host.indexOf(':') >= 0) {
            // "2001:db8::1" would read as host "2001:db8:" and port 1.
            throw new IllegalArgumentException("[" + withoutCredentials(t) + "] is an IPv6 address without brackets:"
                    + " write [address]:port");
        }
        // A name or an address, nothing else: a URL (redis://user:password@host) would be taken for a host name.
        // Brackets hold an IPv6 address, which has a ':' ([abc] and [.] are none).
        if (!(bracketed ? IPV6.matcher(host).matches() && host.indexOf(':') >= 0 && isIpv6Literal(host)
                : HOST.matcher(host).matches() && isHostName(host))) {
            throw new IllegalArgumentException("[" + withoutCredentials(t) + "] has no valid host");
        }
        String portText = t.substring(colon + 1);
        if (!PORT.matcher(portText).matches()) {
            throw new IllegalArgumentException("[" + withoutCredentials(t) + "] has no numeric port");
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("[" + withoutCredentials(t) + "] has a port outside 1-65535");
        }
        return new RedisNode(host, port);
    }

    /**
     * Labels of 1 to 63 characters, not beginning or ending with '-', 253 in all (a name no resolver takes: {@code a..b},
     * {@code redis-.internal}, a 300-character name), and a
     * name of digits and dots is an IPv4 address ({@code 1.2.3.999}, {@code 1.2.3} and {@code 1.2.3.4.} are none).
     */
    private static boolean isHostName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        boolean numeric = true;
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            numeric &= label.chars().allMatch(c -> c >= '0' && c <= '9');
        }
        if (!numeric || labels.length == 1 && !host.endsWith(".")) {
            return true; // a name of one label may be all digits
        }
        if (labels.length != 4 || host.endsWith(".")) {
            return false; // "1.2.3.4." is sent to DNS as a name, which resolves nowhere
        }
        for (String label : labels) {
            if (label.length() > 3 || Integer.parseInt(label) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * One form for the spellings of one host: names ignore case and a final dot (REDIS-A. is redis-a), an address is
     * compared as the address it is ({@code [0:0::1]} is {@code [::1]}, {@code [::ffff:10.0.0.1]} is {@code 10.0.0.1}).
     * Only literals are parsed: no name is looked up.
     */
    private static String sameHostForm(String host) {
        if (IPV4.matcher(host).matches()) { // parse() took only its decimal form (no octet over 255)
            return Arrays.stream(host.split("\\.")).map(octet -> String.valueOf(Integer.parseInt(octet)))
                    .collect(java.util.stream.Collectors.joining("."));
        }
        if (host.indexOf(':') >= 0) {
            try {
                return java.net.InetAddress.getByName("[" + host + "]").getHostAddress(); // bracketed: never a lookup
            } catch (java.net.UnknownHostException | SecurityException e) {
                // An unknown zone (%eth9): the address's hex digits ignore case, an interface's name does not.
                int zone = host.indexOf('%');
                return zone < 0 ? host.toLowerCase(java.util.Locale.ROOT)
                        : host.substring(0, zone).toLowerCase(java.util.Locale.ROOT) + host.substring(zone);
            }
        }
        return (host.endsWith(".") ? host.substring(0, host.length() - 1) : host).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * What the JDK takes for an IPv6 address (no name is looked up for a bracketed one): {@code [:]} is none. Without
     * its zone ({@code %eth0}), which names an interface of the machine that connects, not of the one checking.
     */
    private static boolean isIpv6Literal(String address) {
        int zone = address.indexOf('%');
        String withoutZone = zone < 0 ? address : address.substring(0, zone);
        try {
            return java.net.InetAddress.getByName("[" + withoutZone + "]") != null; // ::ffff:a.b.c.d comes back as IPv4
        } catch (java.net.UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /**
     * What a message may show of a whole {@code redis.nodes} value: each item as {@link #withoutCredentials} shows it,
     * a reference ({@code ${env:NODES}}) as written, and nothing after an item it hid (a password cut at a comma runs
     * on into the next items).
     */
    static String withoutCredentialsEach(String text) {
        List<String> shown = new ArrayList<>();
        boolean hiding = false;
        for (String item : text.split(",", -1)) {
            String trimmed = item.strip();
            if (trimmed.isEmpty()) {
                shown.add(hiding ? "…" : item); // as written, as the node list's own messages show it
                continue;
            }
            String part = hiding ? "…" : REFERENCE_ITEM.matcher(trimmed).matches() ? trimmed : withoutCredentials(trimmed);
            hiding = !part.equals(trimmed);
            shown.add(part);
        }
        return String.join(",", shown);
    }

    /**
     * What a message may show of an item: all of it when it holds only what a host and port are made of, else
     * nothing (a URL's scheme at most). Credentials may hide in any other form: {@code host:6379?password=x},
     * or a password with a comma cut into two items.
     */
    private static String withoutCredentials(String item) {
        if (SHOWABLE.matcher(item).matches()) {
            // "user:password" cut from a URL at a comma in its password looks like host:port: a port that is not a
            // number is not shown.
            int end = item.startsWith("[") && item.indexOf(']') > 0 ? item.indexOf(']') + 1 : 0;
            int colon = item.indexOf(':', end);
            return colon < 0 || item.substring(colon + 1).matches("[0-9]+") ? item : item.substring(0, colon + 1) + "…";
        }
        int scheme = item.indexOf("://");
        return scheme > 0 && SHOWABLE.matcher(item.substring(0, scheme)).matches()
                ? item.substring(0, scheme) + "://****" : "**** (not shown: it may hold credentials)";
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
