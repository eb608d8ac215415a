package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.internal.revocation.MemoryRevocationStore;

/** The builder names the setting a caller gave no value, instead of failing later without a name. */
class JwtAuthFilterBuilderTest {

    @Test
    void whenASettingIsGivenNullThenTheErrorNamesIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> JwtAuthFilter.builder().set(ConfigKeys.JWT_ISSUER, null));
        assertTrue(refused.getMessage().contains("[jwt.issuer]"), refused.getMessage());

        Map<String, String> settings = new HashMap<>();
        settings.put(ConfigKeys.JWT_AUDIENCE, null);
        IllegalArgumentException inMap = assertThrows(IllegalArgumentException.class,
                () -> JwtAuthFilter.builder().settings(settings));
        assertTrue(inMap.getMessage().contains("[jwt.audience]"), inMap.getMessage());
    }

    /** The first filter closes the store on destroy: a second one ran on it closed, every request 503, health UP. */
    @Test
    void whenTheBuildersStoreWentToAFilterThenASecondBuildIsRefusedUntilAnotherStoreIsGiven() {
        JwtAuthFilter.Builder builder = JwtAuthFilter.builder().revocationStore(new MemoryRevocationStore());
        builder.build();
        IllegalStateException refused = assertThrows(IllegalStateException.class, builder::build);
        assertTrue(refused.getMessage().contains("store of its own"), refused.getMessage());
        builder.revocationStore(new MemoryRevocationStore()).build();
        JwtAuthFilter.Builder withoutStore = JwtAuthFilter.builder();
        withoutStore.build();
        withoutStore.build(); // each filter builds its own store from revocation.store
        assertThrows(NullPointerException.class, () -> JwtAuthFilter.builder().clock(null));
        // Every store given, not the last only: A, B, then A again is refused.
        MemoryRevocationStore first = new MemoryRevocationStore();
        JwtAuthFilter.Builder two = JwtAuthFilter.builder().revocationStore(first);
        two.build();
        two.revocationStore(new MemoryRevocationStore()).build();
        assertThrows(IllegalStateException.class, two.revocationStore(first)::build);
    }
}
