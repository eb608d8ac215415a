package org.jwtgate.internal.jmx;

/** {@code org.jwtgate:type=Health,filter=<name>}: UP, DEGRADED or DOWN, and why. */
public interface HealthMBean {
    String getStatus();

    String getDetails();
}
