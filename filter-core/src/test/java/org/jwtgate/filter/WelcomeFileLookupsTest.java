package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testing.CapturedOutput;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The application's files are looked up for a directory URL only when the caller lacks the roles of one of its welcome
 * files: under a catch-all rule ({@code /*=user}) a REST path ending in a slash costs no lookup (the diff review
 * counted 300 for 100 such requests of the first version).
 */
class WelcomeFileLookupsTest {

    private final AtomicInteger lookups = new AtomicInteger();
    private JwtAuthFilter filter;

    @AfterEach
    void stop() {
        if (filter != null) {
            filter.destroy();
        }
    }

    private void start(String roles) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.PATHS_ROLES, roles);
        filter = JwtAuthFilter.builder().settings(settings).sources(ConfigSources.none()).build();
        ServletContext context = mock(ServletContext.class);
        when(context.getResource(anyString())).thenAnswer(call -> {
            lookups.incrementAndGet();
            return null;
        });
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("welcome-lookups");
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        when(config.getServletContext()).thenReturn(context);
        filter.init(config);
    }

    private void get(String path, String role) throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getServletPath()).thenReturn(path);
        when(request.getHeaders("Authorization")).thenReturn(Collections.enumeration(
                List.of("Bearer " + TestTokens.hs256("alice", role))));
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getOutputStream()).thenReturn(new CapturedOutput());
        filter.doFilter(request, response, (req, res) -> { });
    }

    @Test
    void whenTheCallerHoldsTheRolesOfEveryWelcomeFileThenNothingIsLookedUp() throws Exception {
        start("/admin/*=admin;/*=user");
        for (int i = 0; i < 100; i++) {
            get("/api/items/", "user");
        }
        assertEquals(0, lookups.get());
    }

    @Test
    void whenTheCallerLacksAWelcomeFilesRoleThenEachOneWithARuleIsLookedUpOnce() throws Exception {
        start("*.html=admin");
        get("/docs/", "user");
        assertEquals(1, lookups.get(), "index.html, whose rule the caller lacks; index.htm and index.jsp have none");
        get("/docs/", "admin");
        assertEquals(1, lookups.get(), "an admin holds every candidate's role");
    }
}
