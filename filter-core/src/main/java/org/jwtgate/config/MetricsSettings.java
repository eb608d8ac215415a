package org.jwtgate.config;

/**
 * How JwtGate exports its figures ({@code metrics.*}).
 *
 * <pre>{@code
 * config.metrics().jmx();         // true unless metrics.jmx=false
 * }</pre>
 *
 * @param jmx        {@code metrics.jmx}: register the MBeans {@code org.jwtgate:type=…,filter=<name>}
 * @param micrometer {@code metrics.micrometer=auto}: register the {@code jwtgate.*} meters when Micrometer is present
 * @since 1.0.0
 */
public record MetricsSettings(boolean jmx, boolean micrometer) {
}
