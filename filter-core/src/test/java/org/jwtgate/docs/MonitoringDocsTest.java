package org.jwtgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.jwtgate.engine.Health;
import org.jwtgate.internal.jmx.JmxExporter;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.micrometer.MicrometerMeters;

/** docs/monitoring.md's meter and MBean tables list exactly what the code registers. */
class MonitoringDocsTest {

    private static final Path PAGE = Path.of("..", "docs", "monitoring.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z.]+)` \\| (.*)$");

    /** Rows of the table under {@code heading}: first cell (without backticks) → the other cells. */
    private static Map<String, List<String>> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(PAGE);
        int start = lines.indexOf(heading);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            Matcher row = ROW.matcher(lines.get(i));
            if (row.matches()) {
                List<String> cells = new ArrayList<>();
                for (String cell : row.group(2).split(" \\| ")) {
                    cells.add(cell.replace("|", "").strip());
                }
                rows.put(row.group(1), cells);
            }
        }
        return rows;
    }

    @Test
    void whenMetersListedThenExactlyTheRegisteredNamesTypesAndTags() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, String> registered = new TreeMap<>();
        try (MicrometerMeters ignored = MicrometerMeters.bind(registry, new GateMetrics(),
                () -> new Health(Health.Status.UP, Map.of()), "f", "/")) {
            for (Meter meter : registry.getMeters()) {
                TreeSet<String> tags = new TreeSet<>();
                meter.getId().getTags().stream().map(Tag::getKey)
                        .filter(key -> !key.equals("filter") && !key.equals("context")).forEach(tags::add);
                String type = switch (meter.getId().getType()) {
                    case COUNTER -> "counter";
                    case TIMER -> "timer";
                    case GAUGE -> "gauge";
                    default -> meter.getId().getType().name();
                };
                registered.put(meter.getId().getName(), type + " " + (tags.isEmpty() ? "—" : String.join(", ", tags)));
            }
        }
        Map<String, String> documented = new TreeMap<>();
        table("## Micrometer").forEach((name, cells) -> documented.put(name,
                cells.get(0) + " " + cells.get(1).replace("`", "")));
        assertEquals(registered, documented);
    }

    /** "The other tags take only the values listed": each value a meter's tag takes is named in its row. */
    @Test
    void whenMetersListedThenEachTagValueIsNamedInItsRow() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, TreeSet<String>> values = new TreeMap<>();
        try (MicrometerMeters ignored = MicrometerMeters.bind(registry, new GateMetrics(),
                () -> new Health(Health.Status.UP, Map.of()), "f", "/")) {
            for (Meter meter : registry.getMeters()) {
                meter.getId().getTags().stream().filter(tag -> !tag.getKey().equals("filter") && !tag.getKey().equals("context"))
                        .forEach(tag -> values.computeIfAbsent(meter.getId().getName(), k -> new TreeSet<>()).add(tag.getValue()));
            }
        }
        Map<String, List<String>> rows = table("## Micrometer");
        Map<String, TreeSet<String>> unnamed = new TreeMap<>();
        values.forEach((meter, taken) -> {
            // The words the row quotes: `fail_open`, and both sides of `reason=none`.
            TreeSet<String> quoted = new TreeSet<>();
            Matcher code = Pattern.compile("`([^`]+)`").matcher(String.join(" | ", rows.getOrDefault(meter, List.of())));
            while (code.find()) {
                quoted.addAll(List.of(code.group(1).split("=")));
            }
            taken.stream().filter(value -> !quoted.contains(value))
                    .forEach(value -> unnamed.computeIfAbsent(meter, k -> new TreeSet<>()).add(value));
        });
        assertEquals(Map.of(), unnamed, "tag values docs/monitoring.md does not name in the meter's row");
    }

    @Test
    void whenMBeansListedThenExactlyTheRegisteredTypesAndAttributes() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, String> registered = new TreeMap<>();
        try (JmxExporter ignored = JmxExporter.register(new GateMetrics(), () -> new Health(Health.Status.UP, Map.of()),
                "monitoring-docs", null)) {
            // Every MBean the exporter registered, not a list of the types expected: a new one needs its row too.
            for (ObjectName name : server.queryNames(new ObjectName("org.jwtgate:filter=" + ObjectName.quote("monitoring-docs") + ",*"), null)) {
                List<String> attributes = new ArrayList<>();
                for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                    attributes.add(attribute.getName());
                }
                registered.put(name.getKeyProperty("type"), String.join(", ", new TreeSet<>(attributes)));
            }
        }
        Map<String, String> documented = new TreeMap<>();
        table("## JMX").forEach((type, cells) -> documented.put(type,
                String.join(", ", new TreeSet<>(List.of(cells.get(0).replace("`", "").split(", "))))));
        assertEquals(registered, documented);
    }

    /**
     * "What to watch" and the Prometheus names the page gives: each meter (`jwtgate.…`, or its Prometheus name with
     * `rate(…)`, `increase(…)` and a tag filter) is one the code registers, each tag filter names a tag of that meter
     * and one of its values, and each JMX attribute (`Revocation.NearCacheFresh`) is one an MBean has.
     */
    @Test
    void whenThePageNamesMetersAndAttributesElsewhereThenTheyAreRegistered() throws Exception {
        Map<String, Map<String, TreeSet<String>>> tagsByPrometheusName = new TreeMap<>();
        Map<String, Map<String, TreeSet<String>>> tagsByName = new TreeMap<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MicrometerMeters ignored = MicrometerMeters.bind(registry, new GateMetrics(),
                () -> new Health(Health.Status.UP, Map.of()), "f", "/")) {
            for (Meter meter : registry.getMeters()) {
                String name = meter.getId().getName();
                String base = name.replace('.', '_');
                List<String> exposed = switch (meter.getId().getType()) {
                    case COUNTER -> List.of(base + "_total");
                    // Function timers: Prometheus gets no _max for them (a scrape of PrometheusMeterRegistry shows so).
                    case TIMER -> List.of(base + "_seconds_count", base + "_seconds_sum");
                    default -> List.of(base);
                };
                Map<String, TreeSet<String>> tags = tagsByName.computeIfAbsent(name, k -> new TreeMap<>());
                meter.getId().getTags().forEach(tag -> tags.computeIfAbsent(tag.getKey(), k -> new TreeSet<>()).add(tag.getValue()));
                exposed.forEach(prometheus -> tagsByPrometheusName.put(prometheus, tags));
            }
        }
        Map<String, TreeSet<String>> attributes = new TreeMap<>();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try (JmxExporter ignored = JmxExporter.register(new GateMetrics(), () -> new Health(Health.Status.UP, Map.of()),
                "monitoring-docs-watch", null)) {
            for (ObjectName name : server.queryNames(new ObjectName("org.jwtgate:filter=" + ObjectName.quote("monitoring-docs-watch") + ",*"), null)) {
                TreeSet<String> of = attributes.computeIfAbsent(name.getKeyProperty("type"), k -> new TreeSet<>());
                for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                    of.add(attribute.getName());
                }
            }
        }

        String page = Files.readString(PAGE);
        String watch = page.substring(page.indexOf("## What to watch"), page.indexOf("## What it costs"));
        List<String> unknown = new ArrayList<>();
        Matcher code = Pattern.compile("`([^`]+)`").matcher(watch);
        while (code.find()) {
            String text = code.group(1);
            Matcher meter = Pattern.compile("^jwtgate\\.[a-z.]+$").matcher(text);
            Matcher attribute = Pattern.compile("^([A-Z][A-Za-z]+)\\.([A-Z][A-Za-z]+)$").matcher(text);
            if (meter.matches() && !tagsByName.containsKey(text)) {
                unknown.add(text);
            } else if (attribute.matches() && !attributes.getOrDefault(attribute.group(1), new TreeSet<>()).contains(attribute.group(2))) {
                unknown.add(text);
            }
        }
        // Prometheus names anywhere on the page: `jwtgate_…`, alone or in rate(…) / increase(…), with a tag filter.
        Matcher prometheus = Pattern.compile("`(?:rate\\(|increase\\()?(jwtgate_[a-z_]+)(?:\\{([a-z_]+)=\"([a-z_]+)\"\\})?\\)?`")
                .matcher(page);
        int named = 0;
        while (prometheus.find()) {
            named++;
            Map<String, TreeSet<String>> tags = tagsByPrometheusName.get(prometheus.group(1));
            if (tags == null || prometheus.group(2) != null
                    && !tags.getOrDefault(prometheus.group(2), new TreeSet<>()).contains(prometheus.group(3))) {
                unknown.add(prometheus.group());
            }
        }
        assertTrue(named >= 10, "the page's Prometheus names were not found: " + named);
        assertEquals(List.of(), unknown, "meters, Prometheus names and JMX attributes docs/monitoring.md names that the code does not register");
    }

    /**
     * "Health and the readiness probe" shows the details twice (the {@code Health}'s text and the servlet's JSON):
     * operators and probes parse them, so their parts are the ones {@code JwtGate.health()} gives, in its fixed order.
     */
    @Test
    void whenThePageShowsHealthDetailsThenTheyAreThePartsHealthGivesInItsOrder() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>(org.jwtgate.testkit.tokens.TestTokens.settings());
        settings.put("revocation.store", "memory");
        List<String> parts;
        try (org.jwtgate.engine.JwtGate gate = org.jwtgate.engine.JwtGate.start(org.jwtgate.config.JwtGateConfig.of(settings))) {
            parts = List.copyOf(gate.health().details().keySet());
        }
        String page = Files.readString(PAGE);
        Matcher text = Pattern.compile("`UP \\((keys=[^`]*)\\)`").matcher(page);
        assertTrue(text.find(), "the page's example of a Health's text");
        List<String> inText = Pattern.compile("(?:^|,\\s+)([a-z-]+)=").matcher(text.group(1)).results().map(m -> m.group(1)).toList();
        Matcher json = Pattern.compile("\\{\"status\":\"UP\",\"details\":\\{([^}]*)\\}\\}").matcher(page);
        assertTrue(json.find(), "the page's example of the servlet's JSON");
        List<String> inJson = Pattern.compile("\"([a-z-]+)\":").matcher(json.group(1)).results().map(m -> m.group(1)).toList();
        assertEquals(parts, inText, "the parts of docs/monitoring.md's Health text");
        assertEquals(parts, inJson, "the parts of docs/monitoring.md's health JSON");
    }
}
