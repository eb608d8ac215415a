package org.jwtgate.internal.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import javax.security.auth.Subject;
import org.junit.jupiter.api.Test;
import org.jwtgate.authentication.JwtServerAuthModule;
import org.jwtgate.internal.web.BearerErrorResponder;

/**
 * Jetty 12 stops a context without waiting for the requests inside it and closes the application's class loader:
 * a request that reaches the stopped module afterwards must still get its 503, from classes loaded before. Before the
 * module loaded them ahead, the first such request on Jetty failed with {@code NoClassDefFoundError: RecordedResponse},
 * which Jetty answered 500 (seen once in JettyRedeployUnderLoadIT).
 */
class ClosedApplicationClassLoaderTest {

    @Test
    void aModuleClosedWithItsApplicationStillAnswers503OnJettyOnceTheClassLoaderIsClosed() throws Exception {
        ApplicationClassLoader application = new ApplicationClassLoader(
                location(JwtServerAuthModule.class), location(BearerErrorResponder.class));
        ServerAuthModule module = (ServerAuthModule) application.loadClass(JwtServerAuthModule.class.getName())
                .getConstructor().newInstance();
        ((AutoCloseable) module).close(); // the application's stop closes its module,
        application.close(); // then Jetty closes the class loader
        assertThrows(ClassNotFoundException.class, () -> application.loadClass("org.jwtgate.JwtAuthFilter"),
                "the closed class loader loads no class it had not loaded");

        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getServletPath()).thenReturn("/admin/page");
        JettyCoreChannelTest.JettyLikeMessage message = new JettyCoreChannelTest.JettyLikeMessage();
        message.setRequestMessage(request);

        assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(message, new Subject(), null));
        assertEquals(503, message.status);
        assertTrue(message.body.contains("\"error\":\"temporarily_unavailable\""), message.body);
        assertTrue(message.last && message.succeeded, "the exchange completed");
        assertNull(message.failure);
    }

    private static URL location(Class<?> type) throws URISyntaxException, java.net.MalformedURLException {
        return type.getProtectionDomain().getCodeSource().getLocation().toURI().toURL();
    }

    /** JwtGate's classes its own (as WEB-INF/classes and WEB-INF/lib), everything else from this test's loader. */
    private static final class ApplicationClassLoader extends URLClassLoader {

        ApplicationClassLoader(URL... urls) {
            super(urls, ClosedApplicationClassLoaderTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.jwtgate.") || name.startsWith(JettyCoreChannelTest.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }
}
