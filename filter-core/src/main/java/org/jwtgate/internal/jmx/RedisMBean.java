package org.jwtgate.internal.jmx;

/** {@code org.jwtgate:type=Redis,filter=<name>}: calls to Redis and what went wrong. */
public interface RedisMBean {
    long getCalls();

    double getMeanCallMillis();

    long getTimeouts();

    long getRefusedConnections();

    long getRedirectsFollowed();

    long getClusterDown();

    long getOtherFailures();
}
