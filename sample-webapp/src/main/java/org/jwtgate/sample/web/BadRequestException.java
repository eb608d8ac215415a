package org.jwtgate.sample.web;

/** The request is malformed: answered with {@link #status()} and a fixed description, never input echoed back. */
public class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public BadRequestException(String description) {
        this(400, description);
    }

    public BadRequestException(int status, String description) {
        super(description, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
