package org.jwtgate.internal.jmx;

/** {@code org.jwtgate:type=Requests,filter=<name>}: how requests ended, refusals by reason. */
public interface RequestsMBean {
    long getAuthenticated();

    long getPublic();

    long getAnonymous();

    long getRefused();

    long getRefusedMissing();

    long getRefusedMalformed();

    long getRefusedInvalid();

    long getRefusedExpired();

    long getRefusedNotYetValid();

    long getRefusedRevoked();

    long getRefusedInsufficientScope();

    long getRefusedCsrf();

    long getRefusedDpop();

    long getUnavailable();

    long getFailOpen();
}
