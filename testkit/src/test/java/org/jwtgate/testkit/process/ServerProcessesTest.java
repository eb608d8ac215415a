package org.jwtgate.testkit.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerProcessesTest {

    @Test
    void whenPortsAreHandedOutThenEachIsBelowTheEphemeralRangeBindableAndNeverRepeated() throws IOException {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int port = ServerProcesses.freeLoopbackPort();
            assertTrue(port >= 2000 && port < 12000, "outside [2000, 12000): " + port);
            assertTrue(seen.add(port), "handed out twice: " + port);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port)); // throws if it was not free
            }
        }
    }
}
