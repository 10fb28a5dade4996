package dev.rollout.clusterbatcher.fleet;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.rollout.clusterbatcher.system.Bytes;
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
        // the most a line can take: 8 + 2 + 1, and four texts with 4 bytes of length each
        long most = 11 + 16 + (long) Bytes.maxUtf8(agent.agentId()) + Bytes.maxUtf8(agent.clusterId())
                + Bytes.maxUtf8(agent.region()) + (agent.labels() == null ? 0 : Bytes.maxUtf8(agent.labels()));
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
        Bytes.putShort(block, used, agent.tzOffset());
        used += 2;
        block[used++] = (byte) (agent.labels() != null ? 1 : 0);
        if (agent.labels() != null) {
            putText(agent.labels());
        }
        lines++;
    }

    private void putLong(long value) {
        Bytes.putLong(block, used, value);
        used += 8;
    }

    /** The text's length in bytes (four bytes), then its UTF-8 bytes. */
    private void putText(String text) {
        int end = Bytes.putUtf8(block, used + 4, text);
        Bytes.putInt(block, used, end - used - 4);
        used = end;
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
