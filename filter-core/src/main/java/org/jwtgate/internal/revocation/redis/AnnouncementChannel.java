package org.jwtgate.internal.revocation.redis;

import java.util.List;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;

/**
 * The pub/sub channels of the near-cache and the command that publishes on them. Classic pub/sub:
 * {@code <prefix>events} carries every revocation announcement to every instance;
 * {@code <prefix>heartbeat:<instance id>} carries one instance's heartbeats back to itself (one channel
 * per instance, so heartbeats are not fanned out to everybody).
 *
 * <p>Both are published by a script declaring the events channel's name as its key: a cluster node
 * executes it only while it owns that slot (MOVED otherwise, also on a replica), so announcements and
 * heartbeats are executed — and ordered — by one node, the one the subscription listens on. The key
 * itself is never read or written.
 */
final class AnnouncementChannel {

    /** KEYS[1] = the events channel's name (routing only), ARGV[1] = channel, ARGV[2] = message. */
    static final String PUBLISH_SCRIPT = "return redis.call('PUBLISH', ARGV[1], ARGV[2])";

    private final String events;
    private final String heartbeats;

    AnnouncementChannel(String keyPrefix, String instanceId) {
        this.events = keyPrefix + "events";
        this.heartbeats = keyPrefix + "heartbeat:" + instanceId;
    }

    String events() {
        return events;
    }

    String heartbeats() {
        return heartbeats;
    }

    CommandObject<Object> announce(String message) {
        return publish(events, message);
    }

    CommandObject<Object> heartbeat(String message) {
        return publish(heartbeats, message);
    }

    private CommandObject<Object> publish(String channel, String message) {
        CommandArguments arguments = new CommandArguments(Protocol.Command.EVAL).add(PUBLISH_SCRIPT).add(1)
                .key(events).add(channel).add(message);
        return new CommandObject<>(arguments, BuilderFactory.RAW_OBJECT);
    }

    List<String> channels() {
        return List.of(events, heartbeats);
    }
}
