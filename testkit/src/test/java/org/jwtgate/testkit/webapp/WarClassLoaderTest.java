package org.jwtgate.testkit.webapp;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.tokens.TestTokens;

class WarClassLoaderTest {

    @Test
    void whenAWarClassIsLoadedThenItIsTheLoadersOwnAndTheRestIsTheParents() throws Exception {
        try (WarClassLoader war = new WarClassLoader(WarClassLoaderTest.class, List.of(), JwtClaims.class)) {
            Class<?> claims = war.loadClass(JwtClaims.class.getName());
            assertNotSame(JwtClaims.class, claims, "jose4j child-first");
            assertSame(war, claims.getClassLoader());
            assertSame(war.loadClass(JwtClaims.class.getName()), claims, "loaded once");
            assertSame(String.class, war.loadClass(String.class.getName()));
            assertSame(TestTokens.class, war.loadClass(TestTokens.class.getName()), "the test kit is the parent's");
            assertSame(WarClassLoaderTest.class, war.loadClass(WarClassLoaderTest.class.getName()), "the test is the parent's");
        }
    }

    @Test
    void whenAClassIsSharedThenItIsTheParents() throws Exception {
        try (WarClassLoader war = new WarClassLoader(WarClassLoaderTest.class, List.of("org.jose4j.lang."), JwtClaims.class)) {
            assertSame(JoseException.class, war.loadClass(JoseException.class.getName()));
            assertNotSame(JwtClaims.class, war.loadClass(JwtClaims.class.getName()));
        }
    }

    @Test
    void whenTheLoaderIsClosedThenItLoadsOnlyWhatItHadLoaded() throws Exception {
        WarClassLoader war = new WarClassLoader(WarClassLoaderTest.class, List.of(), JwtClaims.class);
        Class<?> claims = war.loadClass(JwtClaims.class.getName());
        war.close();
        assertSame(claims, war.loadClass(JwtClaims.class.getName()));
        assertThrows(ClassNotFoundException.class, () -> war.loadClass("org.jose4j.jwk.JsonWebKeySet"));
    }

    @Test
    void whenAClassComesFromNoJarThenTheLoaderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WarClassLoader(WarClassLoaderTest.class, List.of(), String.class));
    }
}
