package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TomcatWarBenchmarkTest {

    private static String describe(List<String[]> order) {
        return order.stream().map(run -> run[0] + (run[1].equals(BenchWar.PUBLIC) ? ":pub" : ":prot"))
                .collect(Collectors.joining(" "));
    }

    @Test
    void whenRoundsFollowEachOtherThenEachRatiosRunsAreAdjacentAndNoRunKeepsItsPlace() {
        List<String> jars = List.of("before", "after");
        assertEquals("before:pub before:prot after:pub after:prot", describe(TomcatWarBenchmark.roundOrder(jars, 1)));
        assertEquals("before:prot before:pub after:prot after:pub", describe(TomcatWarBenchmark.roundOrder(jars, 2)));
        assertEquals("after:pub after:prot before:pub before:prot", describe(TomcatWarBenchmark.roundOrder(jars, 3)));
        assertEquals("after:prot after:pub before:prot before:pub", describe(TomcatWarBenchmark.roundOrder(jars, 4)));
        assertEquals(describe(TomcatWarBenchmark.roundOrder(jars, 1)), describe(TomcatWarBenchmark.roundOrder(jars, 5)));
    }

    @Test
    void whenOneJarThenItsTwoPathsAlternateWhichGoesFirst() {
        assertEquals("after:pub after:prot", describe(TomcatWarBenchmark.roundOrder(List.of("after"), 1)));
        assertEquals("after:prot after:pub", describe(TomcatWarBenchmark.roundOrder(List.of("after"), 2)));
    }

    @Test
    void whenWebappLibListedThenJwtGatesOwnJarIsLeftOutOfTheLibraries() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("webapp-lib");
        try {
            for (String name : List.of("jwtgate-filter-core-1.0.0.jar", "jose4j-0.9.7.jar", "jedis-8.0.2.jar", "README")) {
                java.nio.file.Files.writeString(dir.resolve(name), "x");
            }
            assertEquals(dir.resolve("jwtgate-filter-core-1.0.0.jar"), TomcatWarBenchmark.filterJarOf(dir));
            assertEquals(List.of("jedis-8.0.2.jar", "jose4j-0.9.7.jar"), TomcatWarBenchmark.librariesOf(dir).stream()
                    .map(p -> p.getFileName().toString()).toList());
        } finally {
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : files.toList()) {
                    java.nio.file.Files.delete(f);
                }
            }
            java.nio.file.Files.delete(dir);
        }
    }

    @Test
    void whenWebXmlWrittenThenTheFilterHasEveryInitParamEscapedAndThePublicPathIsExcluded() {
        String xml = BenchWar.webXml(Map.of("jwt.issuer", "https://a.example/?x=1&y=<2>"));
        assertEquals(true, xml.contains("<param-value>https://a.example/?x=1&amp;y=&lt;2&gt;</param-value>"), xml);
        assertEquals(true, xml.contains("<param-name>paths.exclude</param-name><param-value>/public/*</param-value>"), xml);
        assertEquals(true, xml.contains("<url-pattern>/api/hello</url-pattern>") && xml.contains("<url-pattern>/public/hello</url-pattern>"), xml);
    }
}
