package org.jwtgate.internal.revocation.redis;

import java.util.Locale;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * The near-cache's channel {@code <prefix>events} and the commands on it:
 * <ul>
 *   <li>announce: {@code SPUBLISH} (Redis 7+, sharded pub/sub: the message stays inside the channel's
 *       shard); on a server without it, a script running {@code PUBLISH} and declaring the channel's
 *       name as its key, so only the master owning that slot executes it (classic pub/sub, which the
 *       cluster bus broadcasts). Either way the announcement counts only if executed by the master the
 *       subscribers listen on, following MOVED: {@code SPUBLISH}, which Redis lets replicas and cut-off
 *       masters run, is followed by the heartbeat on the same connection;</li>
 *   <li>subscribe: {@code SSUBSCRIBE}, else {@code SUBSCRIBE} — chosen by asking that same master;</li>
 *   <li>heartbeat: {@code EXISTS <prefix>events}, sent on the subscription connection itself: a read of
 *       the channel's slot, so the node answers it only while it serves that slot as a master in a
 *       healthy cluster (MOVED or CLUSTERDOWN otherwise), and after every message it delivered on that
 *       connection before. The key is never written. On a single server, {@code WAIT 0 0}, which only a
 *       master answers.</li>
 * </ul>
 */
final class AnnouncementChannel {

    /** KEYS[1] = the events channel's name: for routing only, and the channel published on. */
    static final String PUBLISH_SCRIPT = "return redis.call('PUBLISH', KEYS[1], ARGV[1])";

    private final String events;
    /** ASKING and the slot check exist only in a cluster: a plain server refuses ASKING. */
    private final boolean cluster;

    AnnouncementChannel(String keyPrefix, boolean cluster) {
        this.events = keyPrefix + "events";
        this.cluster = cluster;
    }

    String events() {
        return events;
    }

    /**
     * Publishes {@code message} on the connection's node, sharded if the node knows how. Throws (MOVED,
     * CLUSTERDOWN...) unless the node that ran it served the channel's slot as a master in a healthy cluster.
     */
    Object announce(Connection connection, String message) {
        Object published;
        try {
            published = connection.executeCommand(new CommandObject<>(new CommandArguments(Protocol.Command.SPUBLISH)
                    .key(events).add(message), BuilderFactory.RAW_OBJECT));
        } catch (JedisDataException e) {
            if (e instanceof JedisRedirectionException || !isUnknownCommand(e)) {
                throw e;
            }
            // The refused SPUBLISH used up an ASKING sent before it (a slot in migration): send it again.
            // On a node that is not importing the slot it changes nothing.
            if (cluster) {
                connection.executeCommand(Protocol.Command.ASKING);
            }
            published = connection.executeCommand(new CommandObject<>(new CommandArguments(Protocol.Command.EVAL)
                    .add(PUBLISH_SCRIPT).add(1).key(events).add(message), BuilderFactory.RAW_OBJECT));
            if (cluster) {
                return published; // a script declaring the channel as its key runs only on the slot's master
            }
        }
        // Redis exempts SPUBLISH from the slot checks a key command meets: a replica of the slot's master
        // runs it (and forwards it to the master over the cluster bus, later, if that link is up), and so does
        // a master of a cluster that is down (cluster-allow-pubsubshard-when-down, on by default). Fresh
        // subscribers listen on the slot's master in a healthy cluster — their heartbeat, this same read,
        // proves it — so the announcement counts only if the node that ran it answers that read too: MOVED
        // or CLUSTERDOWN otherwise, and the caller follows or retries (subscribers may then get it twice;
        // applying an event is idempotent). ASKING: the SPUBLISH may have used up the one an ASK
        // redirection sent; on a node that is not importing the slot it changes nothing.
        // On a single server a replica runs SPUBLISH and the publishing script alike, and its subscribers hear
        // them late or never: there the heartbeat (WAIT 0 0) is refused unless the server is a master.
        if (cluster) {
            connection.executeCommand(Protocol.Command.ASKING);
        }
        connection.executeCommand(new CommandObject<>(heartbeat(), BuilderFactory.LONG));
        return published;
    }

    CommandArguments shardedSubscribe() {
        return new CommandArguments(Protocol.Command.SSUBSCRIBE).key(events);
    }

    CommandArguments classicSubscribe() {
        return new CommandArguments(Protocol.Command.SUBSCRIBE).add(events);
    }

    /**
     * In a cluster {@code EXISTS <prefix>events}, answered only by the slot's master in a healthy cluster. On a
     * single server {@code WAIT 0 0}: answered at once by a master, refused by a replica, which a read is not —
     * a server demoted by {@code REPLICAOF} keeps its subscribers, and they would count as fresh while the
     * announcements go to the new master.
     */
    CommandArguments heartbeat() {
        return cluster ? new CommandArguments(Protocol.Command.EXISTS).key(events)
                : new CommandArguments(Protocol.Command.WAIT).add(0).add(0);
    }

    /** A server that predates a command answers {@code ERR unknown command}. */
    static boolean isUnknownCommand(JedisDataException e) {
        String message = e.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).startsWith("err unknown command");
    }
}
