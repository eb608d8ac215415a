package org.jwtgate.internal.revocation.nearcache;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The heartbeats sent on one subscription and not answered yet, oldest first. A subscription's
 * connection answers in the order it was asked, so each answer belongs to the oldest heartbeat still
 * waiting: nothing else can answer it (the connection is this instance's own), and an answer on a
 * later subscription can never be mistaken for one of an earlier subscription (each has its own
 * ledger). Thread-safe: the heartbeat thread sends, the subscriber thread reads the answers.
 */
public final class HeartbeatLedger {

    /** Beyond this many unanswered heartbeats the node is not answering: stop sending. */
    static final int MAX_OUTSTANDING = 1024;

    private final Deque<Long> outstanding = new ArrayDeque<>();

    /**
     * Records a heartbeat about to be sent at {@code sentAtNanos}.
     *
     * @return false when too many are unanswered already (the heartbeat must not be sent)
     */
    public synchronized boolean sending(long sentAtNanos) {
        if (outstanding.size() >= MAX_OUTSTANDING) {
            return false;
        }
        outstanding.addLast(sentAtNanos);
        return true;
    }

    /** A heartbeat could not be sent after all: forget the newest record. */
    public synchronized void notSent() {
        outstanding.pollLast();
    }

    /**
     * An answer arrived: the send time of the heartbeat it answers.
     *
     * @throws IllegalStateException for an answer no heartbeat asked for (the stream is out of step)
     */
    public synchronized long answered() {
        Long sentAt = outstanding.pollFirst();
        if (sentAt == null) {
            throw new IllegalStateException("an answer arrived for no outstanding heartbeat");
        }
        return sentAt;
    }

    public synchronized int outstanding() {
        return outstanding.size();
    }
}
