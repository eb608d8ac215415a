package org.jwtgate.testkit.process;

/** A JVM that starts a server ({@code sleep}), records it, prints its pid and waits to be killed. */
public final class RecordingServerMain {

    private RecordingServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Process server = new ProcessBuilder("sleep", args[0]).start();
        LeftoverServers.record(server);
        System.out.println(server.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
