package org.jwtgate.internal.revocation.redis;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.impl.GenericObjectPool;

/**
 * Waits for commons-pool's evictor thread (one per class loader, for every Jedis pool) to end once closing the last
 * pool shut it down. That close returns when the evictor's executor has terminated, a moment before its thread has
 * ended, and Tomcat checks a stopped application's threads at once: it then logged "appears to have started a thread
 * named [commons-pool-evictor] but has failed to stop it. This is very likely to create a memory leak" on reloads and
 * undeploys. An evictor still serving pools (the application's own) waits for its next run: left alone.
 */
final class PoolEvictorExit {

    /** The name commons-pool gives its evictor thread. */
    static final String EVICTOR = "commons-pool-evictor";
    /** Ending takes microseconds; the bound only matters for an evictor busy with a pool the application keeps. */
    private static final long LONGEST_WAIT_MILLIS = 2_000;

    private PoolEvictorExit() {
    }

    /** Returns once this class loader's evictor has ended or waits for its next run, at most {@link #LONGEST_WAIT_MILLIS}. */
    static void await() {
        // The evictor's context class loader is commons-pool's (its thread factory sets it): ours, not another copy's.
        ClassLoader pools = GenericObjectPool.class.getClassLoader();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LONGEST_WAIT_MILLIS);
        for (Thread thread : liveThreads()) {
            if (!EVICTOR.equals(thread.getName()) || thread.getContextClassLoader() != pools) {
                continue;
            }
            // An evictor still serving pools waits for its next run (TIMED_WAITING); one on its way out runs, or
            // waits for its executor's lock (WAITING), which the closing thread may have held a moment ago.
            while (thread.isAlive() && thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                try {
                    thread.join(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Thread[] liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        return Arrays.copyOf(threads, root.enumerate(threads, true));
    }
}
