package org.jwtgate.testing;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A response body kept in memory, for a test double's {@code getOutputStream()}. */
public final class CapturedOutput extends ServletOutputStream {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
    }

    @Override
    public void write(int b) {
        bytes.write(b);
    }

    /** How many bytes were written. */
    public int size() {
        return bytes.size();
    }

    /** What was written, as UTF-8. */
    public String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
