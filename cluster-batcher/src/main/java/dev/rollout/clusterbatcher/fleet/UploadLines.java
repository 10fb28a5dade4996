package dev.rollout.clusterbatcher.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The lines of an upload, each at most {@link #MAX_LENGTH} characters: a longer line is cut off there and its rest
 * skipped (the caller rejects it by number), so that no line, however long, is held whole in memory. Bytes that are
 * not UTF-8 become U+FFFD, which no field accepts: such a line is rejected by number too.
 */
final class UploadLines implements AutoCloseable {

    static final int MAX_LENGTH = 16 * 1024;

    private final Reader reader;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private final StringBuilder line = new StringBuilder(256);
    private boolean tooLong;

    UploadLines(InputStream in) {
        this.reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    /** The next line without its line break, or null at the end of the upload. */
    String next() throws IOException {
        line.setLength(0);
        tooLong = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = reader.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? line.toString() : null;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            append(start, position);
            if (position < limit) {
                position++; // the '\n'
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                return line.toString();
            }
        }
    }

    /** Whether the last line was longer than {@link #MAX_LENGTH} (and so cut off). */
    boolean tooLong() {
        return tooLong;
    }

    private void append(int from, int to) {
        int room = MAX_LENGTH + 1 - line.length();
        int n = Math.min(room, to - from);
        if (n > 0) {
            line.append(buffer, from, n);
        }
        if (to - from > n || line.length() > MAX_LENGTH) {
            tooLong = true;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
