package org.jwtgate.legacy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The unpacked distribution archive (jwtgate-&lt;version&gt;-bin.zip, unpacked by the build before the
 * ITs): the container ITs install JwtGate from it exactly as its README says — lib/webapp/*.jar (and
 * lib/authentication/*.jar for the module) into the application's WEB-INF/lib, bin/jwtgate for the CLI.
 */
final class Distribution {

    private Distribution() {
    }

    static Path home() {
        return ServletContainer.requiredPath("jwtgate.distribution");
    }

    static List<Path> webappJars() throws IOException {
        return jars("lib/webapp");
    }

    static List<Path> authenticationJars() throws IOException {
        return jars("lib/authentication");
    }

    private static List<Path> jars(String folder) throws IOException {
        try (Stream<Path> files = Files.list(home().resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /**
     * {@code <dir>/<name>}: the built application {@code war} with JwtGate installed from the archive —
     * whatever the Maven build put into WEB-INF/lib removed, lib/webapp/*.jar (and, with the module,
     * lib/authentication/*.jar) copied in.
     */
    static Path install(Path war, Path dir, String name, boolean withModule) throws IOException {
        Files.createDirectories(dir);
        Path installed = dir.resolve(name);
        Files.copy(war, installed, StandardCopyOption.REPLACE_EXISTING);
        List<Path> jars = new ArrayList<>(webappJars());
        if (withModule) {
            jars.addAll(authenticationJars());
        }
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + installed.toUri()), Map.of())) {
            Path lib = zip.getPath("WEB-INF", "lib");
            if (Files.isDirectory(lib)) {
                try (Stream<Path> built = Files.list(lib)) {
                    for (Path library : built.toList()) {
                        Files.delete(library);
                    }
                }
            } else {
                Files.createDirectories(lib);
            }
            for (Path jar : jars) {
                Files.copy(jar, lib.resolve(jar.getFileName().toString()));
            }
        }
        return installed;
    }
}
