package org.jwtgate.cdi;

import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Runs inside {@link FilterWithoutCdiIT}'s class loader, which cannot see any CDI class: starts
 * the filter on a real Jetty, authenticates a request, and reports what happened.
 */
public final class NoCdiScenario implements Callable<String> {

    @Override
    public String call() throws Exception {
        JettyApp app = JettyApp.start(TestTokens.settings());
        try {
            HttpResponse<String> response = app.getWithToken("/api", TestTokens.hs256("alice", "admin"));
            return "cdi=" + isCdiVisible() + " status=" + response.statusCode() + " " + response.body();
        } finally {
            app.close();
        }
    }

    private static boolean isCdiVisible() {
        try {
            Class.forName("jakarta.enterprise.inject.spi.CDI", false, NoCdiScenario.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
