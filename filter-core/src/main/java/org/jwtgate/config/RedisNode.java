package org.jwtgate.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code host:port} of {@code redis.nodes}.
 *
 * <pre>{@code
 * List<RedisNode> nodes = RedisNode.parseList("10.0.0.1:7000,10.0.0.2:7000");
 * }</pre>
 *
 * @since 1.0.0
 */
public record RedisNode(String host, int port) {

    /**
     * Every {@code host:port} of a comma-separated list, as {@code redis.nodes} takes it (blank items skipped).
     *
     * @throws ConfigurationException naming {@code redis.nodes} and the bad item
     */
    public static List<RedisNode> parseList(String text) {
        List<RedisNode> nodes = new ArrayList<>();
        for (String node : text.split(",")) {
            if (!node.isBlank()) {
                try {
                    nodes.add(parse(node));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("Illegal value for setting [" + ConfigKeys.REDIS_NODES + "]: ["
                            + node.trim() + "]; expected host:port[,host:port…]");
                }
            }
        }
        return List.copyOf(nodes);
    }

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
