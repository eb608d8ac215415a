package org.jwtgate.internal.jmx;

/** {@code org.jwtgate:type=Jwks,filter=<name>}: the JWKS client (jwt.jwks-uri). */
public interface JwksMBean {
    long getSuccessfulFetches();

    long getFailedFetches();

    /** Keys held now; -1 without a JWKS. */
    int getKeys();

    long getMillisSinceLastSuccess();
}
