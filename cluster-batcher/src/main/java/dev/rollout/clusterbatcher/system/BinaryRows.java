package dev.rollout.clusterbatcher.system;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary COPY format ({@code COPY ... FROM STDIN (FORMAT binary)}): the server takes each
 * field as it is stored, with no text to split, unquote and convert. Used where an import streams millions of rows.
 */
public final class BinaryRows {

    private static final byte[] SIGNATURE = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0 };

    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;
    private int rows;

    public BinaryRows(int expectedBytes) {
        bytes = new ByteArrayOutputStream(expectedBytes);
        out = new DataOutputStream(bytes);
        write(() -> {
            out.write(SIGNATURE);
            out.writeInt(0); // flags
            out.writeInt(0); // no header extension
        });
    }

    private interface Write {
        void run() throws IOException;
    }

    private void write(Write write) {
        try {
            write.run();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
    }

    /** Starts a row of {@code fields} fields. */
    public BinaryRows row(int fields) {
        rows++;
        write(() -> out.writeShort(fields));
        return this;
    }

    /** A text field (varchar, text), or NULL. */
    public BinaryRows text(String value) {
        write(() -> {
            if (value == null) {
                out.writeInt(-1);
                return;
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        });
        return this;
    }

    /** A smallint field. */
    public BinaryRows int2(int value) {
        write(() -> {
            out.writeInt(2);
            out.writeShort(value);
        });
        return this;
    }

    /** An integer field. */
    public BinaryRows int4(int value) {
        write(() -> {
            out.writeInt(4);
            out.writeInt(value);
        });
        return this;
    }

    /** A boolean field. */
    public BinaryRows bool(boolean value) {
        write(() -> {
            out.writeInt(1);
            out.writeByte(value ? 1 : 0);
        });
        return this;
    }

    /** A uuid field: its 16 bytes, most significant first. */
    public BinaryRows uuid(UUID value) {
        write(() -> {
            out.writeInt(16);
            out.writeLong(value.getMostSignificantBits());
            out.writeLong(value.getLeastSignificantBits());
        });
        return this;
    }

    /** A timestamptz field: microseconds since 2000-01-01T00:00:00Z. */
    public BinaryRows timestamptz(Instant value) {
        long micros = (value.getEpochSecond() - POSTGRES_EPOCH_SECONDS) * 1_000_000L + value.getNano() / 1_000;
        return int8(micros);
    }

    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    /** A bigint field. */
    public BinaryRows int8(long value) {
        write(() -> {
            out.writeInt(8);
            out.writeLong(value);
        });
        return this;
    }

    public boolean isEmpty() {
        return rows == 0;
    }

    /**
     * Sends the rows with {@code copySql} ({@code COPY table (columns) FROM STDIN (FORMAT binary)}) on a PostgreSQL
     * connection; the number of rows the server took. Nothing is sent without rows.
     */
    public long copyInto(Connection connection, String copySql) throws SQLException {
        if (isEmpty()) {
            return 0;
        }
        byte[] stream = finish();
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn(copySql);
        try {
            copy.writeToCopy(stream, 0, stream.length);
            return copy.endCopy();
        }
        finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** The whole COPY stream, with its trailer. */
    public byte[] finish() {
        write(() -> out.writeShort(-1));
        return bytes.toByteArray();
    }
}
