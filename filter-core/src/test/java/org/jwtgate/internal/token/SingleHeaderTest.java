package org.jwtgate.internal.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule by which the token's header and DPoP's proof header are read, another filter's wrapper included. */
class SingleHeaderTest {

    private static final String NAME = "DPoP";

    /** The container's request: getHeader answers the first of getHeaders, as containers do. */
    private static HttpServletRequest container(List<String> fields) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getHeaders(NAME)).thenReturn(Collections.enumeration(fields));
        when(request.getHeader(NAME)).thenReturn(fields.isEmpty() ? null : fields.get(0));
        return request;
    }

    /** A wrapper that answers getHeader alone, as hand-written ones often do. */
    private static HttpServletRequest getHeaderWrapper(HttpServletRequest inner, String value) {
        return new HttpServletRequestWrapper(inner) {
            @Override
            public String getHeader(String name) {
                return NAME.equalsIgnoreCase(name) ? value : super.getHeader(name);
            }
        };
    }

    /** A wrapper that answers getHeaders alone, which JAX-RS runtimes such as Jersey read. */
    private static HttpServletRequest getHeadersWrapper(HttpServletRequest inner, List<String> fields) {
        return new HttpServletRequestWrapper(inner) {
            @Override
            public Enumeration<String> getHeaders(String name) {
                return NAME.equalsIgnoreCase(name) ? Collections.enumeration(fields) : super.getHeaders(name);
            }
        };
    }

    @Test
    void whenTheContainersRequestCarriesTheHeaderOnceThenItsValueIsReadAndTheRequestAskedOnce() {
        HttpServletRequest request = container(List.of("one"));
        SingleHeader header = SingleHeader.read(request, NAME);
        assertEquals("one", header.value());
        assertFalse(header.repeated());
        verify(request, times(1)).getHeaders(NAME);
        verify(request, never()).getHeader(NAME);
    }

    @Test
    void whenTheHeaderIsMissingThenAbsentNotRepeated() {
        SingleHeader header = SingleHeader.read(container(List.of()), NAME);
        assertNull(header.value());
        assertFalse(header.repeated());
        HttpServletRequest hidden = mock(HttpServletRequest.class); // a container that does not show headers: null
        assertNull(SingleHeader.read(hidden, NAME).value());
    }

    @Test
    void whenTheRequestCarriesTwoFieldsThenRepeated() {
        SingleHeader header = SingleHeader.read(container(List.of("one", "two")), NAME);
        assertTrue(header.repeated());
        assertNull(header.value());
    }

    @Test
    void whenAWrapperSuppliesTheHeaderByGetHeaderAloneThenItsValueIsRead() {
        assertEquals("supplied", SingleHeader.read(getHeaderWrapper(container(List.of()), "supplied"), NAME).value());
    }

    @Test
    void whenAWrapperReplacesTheHeaderByGetHeaderAloneThenItsValueIsRead() {
        assertEquals("replaced", SingleHeader.read(getHeaderWrapper(container(List.of("client's")), "replaced"), NAME).value());
    }

    @Test
    void whenAWrapperReplacesTheHeaderByGetHeadersAloneThenItsValueIsRead() {
        assertEquals("replaced",
                SingleHeader.read(getHeadersWrapper(container(List.of("client's")), List.of("replaced")), NAME).value());
    }

    @Test
    void whenAWrapperChangesBothAnswersDifferentlyThenGetHeaderIsRead() {
        HttpServletRequest both = getHeaderWrapper(getHeadersWrapper(container(List.of("client's")), List.of("by getHeaders")),
                "by getHeader");
        assertEquals("by getHeader", SingleHeader.read(both, NAME).value());
    }

    @Test
    void whenAWrapperLeavesTheHeaderAloneThenTheContainersValueIsRead() {
        assertEquals("client's", SingleHeader.read(new HttpServletRequestWrapper(container(List.of("client's"))), NAME).value());
    }

    @Test
    void whenAWrapperAnswersOneValueButTheRequestCarriesTwoThenRepeated() {
        assertTrue(SingleHeader.read(getHeaderWrapper(container(List.of("one", "two")), "one"), NAME).repeated());
    }
}
