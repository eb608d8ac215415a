package org.jwtgate.testkit.process;

import java.nio.file.Path;

/** A JVM that starts a server ({@code sleep}), records it in a directory, prints its pid and waits to be killed. */
public final class RecordingServerMain {

    private RecordingServerMain() {
    }

    /** @param args the seconds {@code sleep} runs, and the directory of the records */
    public static void main(String[] args) throws Exception {
        Process server = new ProcessBuilder("sleep", args[0]).start();
        LeftoverServers.record(server, Path.of(args[1]));
        System.out.println(server.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
