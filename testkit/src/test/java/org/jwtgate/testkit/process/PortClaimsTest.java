package org.jwtgate.testkit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two JVMs, as Maven's -T 2 runs two modules' tests: a port one claimed is refused to the other until it exits. */
class PortClaimsTest {

    @Test
    void whenAnotherJvmClaimedAPortThenItIsRefusedHereUntilThatJvmExits() throws Exception {
        int port = ThreadLocalRandom.current().nextInt(40_000, 41_000); // outside every range the kit hands out
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), Integer.toString(port))
                .redirectErrorStream(true).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return said.readLine();
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            }).get(30, TimeUnit.SECONDS); // a child that says nothing fails the test, not the fork's timeout
            assertEquals("claimed", first, "the other JVM's claim");

            assertFalse(PortClaims.claim(port), "claimed by the other JVM");
        } finally {
            other.getOutputStream().close(); // the holder exits at the end of its input
            assertTrue(other.waitFor(30, TimeUnit.SECONDS), "the holder exits");
        }
        assertTrue(PortClaims.claim(port), "released when the other JVM exited");
        assertTrue(PortClaims.claim(port), "held here now: asked again, still ours");
    }

    /** Claims the port given, says so, and holds it until its standard input ends. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            if (!PortClaims.claim(Integer.parseInt(args[0]))) {
                System.out.println("refused");
                return;
            }
            System.out.println("claimed");
            System.out.flush();
            while (System.in.read() >= 0) {
                // held until the test closes our input
            }
        }
    }
}
