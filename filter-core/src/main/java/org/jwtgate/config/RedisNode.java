package org.jwtgate.config;

/** One {@code host:port} of {@code redis.nodes}. */
public record RedisNode(String host, int port) {

    /** @throws IllegalArgumentException when not {@code host:port} with a port from 1 to 65535 */
    public static RedisNode parse(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("[" + t + "] is not host:port");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[" + t + "] has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("[" + t + "] has a port outside 1-65535");
        }
        return new RedisNode(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
