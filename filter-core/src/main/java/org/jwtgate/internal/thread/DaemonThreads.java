package org.jwtgate.internal.thread;

import java.util.Collection;
import java.util.concurrent.ThreadFactory;

/** The threads JwtGate starts for itself: daemons, named, with JwtGate's class loader as context class loader. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /**
     * A factory of daemon threads called {@code name}. Not the starting thread's context class loader: a first request
     * may start them on a container's thread, whose loader is its application's, and a module registered for the
     * whole container would keep that application's loader for as long as the container runs.
     */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            thread.setContextClassLoader(DaemonThreads.class.getClassLoader());
            return thread;
        };
    }

    /**
     * As {@link #named(String)}, adding each thread to {@code made}: an executor terminates just before its threads
     * have ended, so a close() that must leave none running joins them. Threads that ended are taken out as a new one
     * is made: an executor whose idle thread times out makes one per burst of work, for as long as it runs.
     */
    public static ThreadFactory named(String name, Collection<Thread> made) {
        ThreadFactory factory = named(name);
        return runnable -> {
            Thread thread = factory.newThread(runnable);
            made.removeIf(ended -> ended.getState() == Thread.State.TERMINATED);
            made.add(thread);
            return thread;
        };
    }
}
