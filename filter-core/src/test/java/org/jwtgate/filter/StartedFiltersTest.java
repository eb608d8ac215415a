package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.Mockito.mock;

import jakarta.servlet.ServletContext;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartedFiltersTest {

    @Test
    void whenTheServedApplicationsFiltersAreDestroyedThenNoneIsFoundNotAnotherApplicationsFilter() {
        // One class loader, two applications (an embedded server): a request of B still in flight while B is undeployed
        // got A's filter, and @Inject RevocationService then revoked in A's store.
        ServletContext a = mock(ServletContext.class);
        ServletContext b = mock(ServletContext.class);
        JwtAuthFilter ofA = new JwtAuthFilter();
        JwtAuthFilter ofB = new JwtAuthFilter();
        StartedFilters.started(ofA, a);
        StartedFilters.started(ofB, b);
        ServletContext outer = StartedFilters.serve(b);
        try {
            assertSame(ofB, StartedFilters.first().orElseThrow());
            StartedFilters.stopped(ofB);
            assertEquals(Optional.empty(), StartedFilters.first());
        } finally {
            StartedFilters.served(outer);
            StartedFilters.stopped(ofA);
            StartedFilters.stopped(ofB);
        }
    }
}
