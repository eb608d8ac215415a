package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.cli.CliJar;

/** The shaded jar keeps the licence texts of what it bundles: shading keeps one file of each name unless told. */
class CliJarContentsIT {

    @Test
    void whenShadedThenTheLicenceFileHoldsTheApacheAndTheMitTexts() throws Exception {
        try (JarFile jar = new JarFile(CliJar.locate().jar().toFile())) {
            ZipEntry licence = jar.getEntry("META-INF/LICENSE.txt");
            assertNotNull(licence, "META-INF/LICENSE.txt");
            String text = new String(jar.getInputStream(licence).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.contains("Apache License"), "commons-pool2's Apache licence");
            assertTrue(text.contains("Permission is hereby granted"), "SLF4J's MIT licence");
        }
    }
}
