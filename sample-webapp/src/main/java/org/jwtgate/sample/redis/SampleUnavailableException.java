package org.jwtgate.sample.redis;

/** Redis could not answer (down, failing over, timed out): the request is answered 503 + Retry-After. */
public class SampleUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SampleUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
