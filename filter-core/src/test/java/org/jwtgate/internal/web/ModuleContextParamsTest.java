package org.jwtgate.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleContextParamsTest {

    private static ServletContext contextWith(String... names) {
        ServletContext context = mock(ServletContext.class);
        when(context.getInitParameterNames()).thenReturn(Collections.enumeration(List.of(names)));
        return context;
    }

    @Test
    void whenContextParamsNameKnownSettingsThenTheyAreTheOnesTheFilterDoesNotReadSorted() {
        assertEquals(List.of("jwtgate.jwt.audience", "jwtgate.realm", "jwtgate.revocation.near-cache.capacity"),
                ModuleContextParams.unreadByTheFilter(contextWith("jwtgate.realm", "app.mode", "jwtgate.jwt.audience",
                        "jwtgate.jwt.audiences", "jwtgate.", "JWTGATE.JWT.ISSUER", "jwt.issuer",
                        "jwtgate.revocation.near-cache.capacity")));
    }

    @Test
    void whenTheModuleIsSwitchedOnThenTheContextParamsAreItsOwn() {
        assertEquals(List.of(), ModuleContextParams.unreadByTheFilter(
                contextWith("jwtgate.jwt.audience", "jwtgate.authentication")));
    }

    @Test
    void whenThereIsNoContextOrNoParamThenNothing() {
        assertEquals(List.of(), ModuleContextParams.unreadByTheFilter(null));
        assertEquals(List.of(), ModuleContextParams.unreadByTheFilter(mock(ServletContext.class)));
        assertEquals(List.of(), ModuleContextParams.unreadByTheFilter(contextWith()));
    }
}
