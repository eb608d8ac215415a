package org.jwtgate.internal.revocation.redis;

import java.net.Socket;
import java.util.function.Consumer;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * The near-cache's own connection to the node it subscribes on, in RESP3: pushes (messages,
 * subscription changes) and the answers to commands sent while subscribed arrive on it interleaved,
 * in the order the node wrote them — which is what makes a heartbeat answer an ordering proof. One
 * thread reads ({@link #read()}); others may send ({@link #send}), one command at a time.
 */
final class SubscriptionConnection extends Connection {

    /** Set once the first socket is open (during the constructor: no initializer may reset it). */
    private volatile boolean opened;

    SubscriptionConnection(HostAndPort node, JedisClientConfig resp3Config) {
        this(node, resp3Config, socket -> { });
    }

    /**
     * @param onSocket told of the socket once it is connected, before the handshake (HELLO) waits for the node's
     *                 answer: closing it ends that wait, which the constructor would otherwise sit out
     */
    SubscriptionConnection(HostAndPort node, JedisClientConfig resp3Config, Consumer<Socket> onSocket) {
        super(new DefaultJedisSocketFactory(node, resp3Config) {
            @Override
            public Socket createSocket() {
                Socket socket = super.createSocket();
                onSocket.accept(socket);
                return socket;
            }
        }, resp3Config);
    }

    /** Writes and flushes one command; its answer is read by the reading thread. */
    synchronized void send(CommandArguments command) {
        sendCommand(command);
        flush();
    }

    /**
     * Opens the socket once, never again: Jedis reconnects a closed connection on the next command, and a heartbeat
     * sent just as the subscription ends would otherwise open a new socket (unauthenticated, never read, never closed).
     */
    @Override
    public void connect() {
        if (opened) {
            // Not super.connect(), which would reopen a socket closed after this check.
            if (!isConnected()) {
                throw new JedisConnectionException("the subscription connection is closed");
            }
            return;
        }
        super.connect();
        opened = true;
    }

    /** The next push or answer: a {@code List} for a push, the answer's value otherwise. Errors are thrown. */
    Object read() {
        return getUnflushedObject();
    }
}
