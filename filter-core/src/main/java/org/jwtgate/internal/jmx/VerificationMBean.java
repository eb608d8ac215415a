package org.jwtgate.internal.jmx;

/** {@code org.jwtgate:type=Verification,filter=<name>}: token verification and the verified-token cache. */
public interface VerificationMBean {
    long getVerifications();

    double getMeanVerificationMicros();

    long getCacheHits();

    long getCacheMisses();

    long getCacheSize();
}
