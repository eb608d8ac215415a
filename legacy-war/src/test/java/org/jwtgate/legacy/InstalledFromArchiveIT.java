package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The WARs every container IT deploys carry in WEB-INF/lib exactly the archive's jars, as an administrator
 * who copies lib/webapp/*.jar (and lib/authentication/*.jar) gets them: nothing left over from an earlier
 * build's unpacked archive (a library's older version beside the new one, a dependency since dropped).
 */
class InstalledFromArchiveIT {

    private static final String ROOT = "jwtgate-" + System.getProperty("jwtgate.version") + "/";

    /** The jar names under {@code folder} in the archive itself. */
    private static Set<String> archiveJars(String... folders) throws IOException {
        Set<String> jars = new TreeSet<>();
        try (ZipFile zip = new ZipFile(ServletContainer.requiredPath("jwtgate.distribution.zip").toFile())) {
            for (String folder : folders) {
                String prefix = ROOT + folder + "/";
                zip.stream().map(ZipEntry::getName)
                        .filter(n -> n.startsWith(prefix) && n.endsWith(".jar") && n.indexOf('/', prefix.length()) < 0)
                        .forEach(n -> jars.add(n.substring(prefix.length())));
            }
        }
        return jars;
    }

    private static Set<String> webInfLib(Path war) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(war.toFile())) {
            zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar"))
                    .forEach(n -> names.add(n.substring("WEB-INF/lib/".length())));
        }
        return new TreeSet<>(names);
    }

    @Test
    void whenLegacyWarInstalledThenWebInfLibHoldsExactlyTheArchivesWebappJars() throws IOException {
        assertEquals(archiveJars("lib/webapp"), webInfLib(LegacyApps.builtWar()));
    }

    @Test
    void whenSecuredWarInstalledThenWebInfLibHoldsExactlyTheArchivesWebappAndModuleJars() throws IOException {
        assertEquals(archiveJars("lib/webapp", "lib/authentication"), webInfLib(SecuredApps.builtWar()));
    }
}
