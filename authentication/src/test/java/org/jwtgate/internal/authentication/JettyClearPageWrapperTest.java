package org.jwtgate.internal.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.jwtgate.internal.web.BearerErrorResponder;

/**
 * Jetty 12, request.authenticate() after the page began: Jetty hands the module the response the page passed
 * to {@code request.authenticate(response)} (ServletCoreResponse.wrap), a wrapper when a filter wrapped it. A wrapper
 * that holds the page's body itself drops it on {@code resetBuffer()}, which the refusal writer calls on Tomcat;
 * {@link JettyCoreChannel#clearPage} calls it too, besides Jetty's resetContent() on the innermost response.
 */
class JettyClearPageWrapperTest {

    /** A wrapper holding the page's bytes until the page ends (ContentCachingResponseWrapper, an ETag filter). */
    static final class Holding extends HttpServletResponseWrapper {
        final StringBuilder held = new StringBuilder();

        Holding(JettyCoreChannelTest.JettyPage page) {
            super(page);
        }

        @Override
        public void resetBuffer() {
            held.setLength(0);
            super.resetBuffer();
        }
    }

    @Test
    void whenThePageResponseIsAWrapperHoldingThePageThenClearPageDropsWhatTheWrapperHolds() {
        JettyCoreChannelTest.JettyPage page = mock(JettyCoreChannelTest.JettyPage.class,
                withSettings().useConstructor().defaultAnswer(CALLS_REAL_METHODS));
        Holding wrapper = new Holding(page);
        wrapper.held.append("page started,");

        JettyCoreChannel.clearPage(wrapper);

        assertTrue(page.contentReset, "Jetty's resetContent() on the innermost response");
        assertEquals("", wrapper.held.toString(), "the wrapper's held page bytes would precede the JSON refusal");
    }

    /** The same wrapper on Tomcat: the refusal writer resets the response it is given, the wrapper. */
    @Test
    void onTomcatTheRefusalWriterResetsTheWrapper() throws IOException {
        JettyCoreChannelTest.JettyPage page = mock(JettyCoreChannelTest.JettyPage.class,
                withSettings().useConstructor().defaultAnswer(CALLS_REAL_METHODS));
        Holding wrapper = new Holding(page);
        wrapper.held.append("page started,");
        try {
            new BearerErrorResponder("secured").missingToken(wrapper);
        } catch (RuntimeException | IOException e) {
            // the mocked page has no output stream: what matters is the reset before the write
        }
        assertEquals("", wrapper.held.toString());
    }
}
