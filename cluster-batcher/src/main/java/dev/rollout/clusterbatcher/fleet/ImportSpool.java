package dev.rollout.clusterbatcher.fleet;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.LoggerFactory;

/**
 * The valid lines of an upload, kept on local disk while the body arrives, so that the fleet lock is taken only once
 * the whole upload is in and checked: a client sending slowly holds up no registration, no other import and no plan
 * freeze. About 60 bytes a line (a 20,000,000-line upload spools about 1.2 GB); deleted when the import ends.
 * <p>
 * A line is encoded into a block of 64 kB by hand (its number, then each text as its length and its UTF-8 bytes, an
 * ASCII text copied character by character) and the block written whole: every line of an upload passes here, and a
 * stream call per field cost the receiving thread a quarter of its time.
 */
final class ImportSpool implements AutoCloseable {

    /** Receives the spooled lines, in upload order. */
    interface Reader {
        void line(long lineNo, AgentLine agent);
    }

    private static final int BLOCK = 1 << 16;

    private final Path file;
    private OutputStream out;
    private byte[] block = new byte[BLOCK];
    private int used;
    private long lines;

    ImportSpool(Path directory) throws IOException {
        Files.createDirectories(directory);
        this.file = Files.createTempFile(directory, "fleet-import-", ".spool");
        this.out = Files.newOutputStream(file);
    }

    void add(long lineNo, AgentLine agent) throws IOException {
        long labels = agent.labels() == null ? 0 : agent.labels().length();
        // the most a line can take: 8 + 2 + 1 + four texts of at most 3 bytes a character and 4 of length each
        long most = 11 + 16 + 3L * (agent.agentId().length() + agent.clusterId().length() + agent.region().length() + labels);
        if (used + most > block.length) {
            flush();
            if (most > block.length) {
                block = new byte[(int) most];
            }
        }
        putLong(lineNo);
        putText(agent.agentId());
        putText(agent.clusterId());
        putText(agent.region());
        block[used++] = (byte) (agent.tzOffset() >> 8);
        block[used++] = (byte) agent.tzOffset();
        block[used++] = (byte) (agent.labels() != null ? 1 : 0);
        if (agent.labels() != null) {
            putText(agent.labels());
        }
        lines++;
    }

    private void putLong(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            block[used++] = (byte) (value >>> shift);
        }
    }

    /** The text's length in bytes (four bytes), then its UTF-8 bytes. */
    private void putText(String text) {
        int at = used + 4;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(utf8, 0, block, used + 4, utf8.length);
                at = used + 4 + utf8.length;
                break;
            }
            block[at++] = (byte) c;
        }
        int length = at - used - 4;
        block[used] = (byte) (length >>> 24);
        block[used + 1] = (byte) (length >>> 16);
        block[used + 2] = (byte) (length >>> 8);
        block[used + 3] = (byte) length;
        used = at;
    }

    private void flush() throws IOException {
        out.write(block, 0, used);
        used = 0;
    }

    /** Reads every spooled line back, in order; no more lines can be added. */
    void replay(Reader reader) {
        try {
            finishWriting();
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BLOCK))) {
                byte[] text = new byte[256];
                for (long i = 0; i < lines; i++) {
                    long lineNo = in.readLong();
                    String agentId = readText(in, text);
                    String clusterId = readText(in, text);
                    String region = readText(in, text);
                    int tzOffset = in.readShort();
                    String labels = in.readBoolean() ? readText(in, text) : null;
                    reader.line(lineNo, new AgentLine(agentId, clusterId, region, tzOffset, labels));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Reading the spooled upload back failed", e);
        }
    }

    private static String readText(DataInputStream in, byte[] buffer) throws IOException {
        int length = in.readInt();
        byte[] bytes = length <= buffer.length ? buffer : new byte[length];
        in.readFully(bytes, 0, length);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void finishWriting() throws IOException {
        if (out != null) {
            try {
                flush();
            }
            finally {
                out.close();
                out = null;
            }
        }
    }

    @Override
    public void close() {
        try {
            finishWriting();
        }
        catch (IOException e) {
            // the file goes anyway
        }
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            LoggerFactory.getLogger(ImportSpool.class).warn("Could not delete {}: {}", file, e.getMessage());
        }
    }
}
