package org.jwtgate.testing;

/** What a failure says, all the way down: start-up refusals name the setting in an inner cause. */
public final class Causes {

    private Causes() {
    }

    /** The message of {@code failure} and of each of its causes, one per line. */
    public static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
