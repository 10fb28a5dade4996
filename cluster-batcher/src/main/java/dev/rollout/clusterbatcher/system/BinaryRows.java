package dev.rollout.clusterbatcher.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary COPY format ({@code COPY ... FROM STDIN (FORMAT binary)}): the server takes each
 * field as it is stored, with no text to split, unquote and convert. Used where an import streams millions of rows.
 */
public final class BinaryRows {

    private static final byte[] SIGNATURE = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0 };

    /** The stream so far, big-endian as the format wants it, written in place (millions of fields: no stream layers). */
    private byte[] bytes;
    private int size;
    private int rows;

    public BinaryRows(int expectedBytes) {
        bytes = new byte[Math.max(64, expectedBytes + 32)];
        System.arraycopy(SIGNATURE, 0, bytes, 0, SIGNATURE.length);
        size = SIGNATURE.length;
        putInt(0); // flags
        putInt(0); // no header extension
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
        }
    }

    private void putShort(int value) {
        room(2);
        Bytes.putShort(bytes, size, value);
        size += 2;
    }

    private void putInt(int value) {
        room(4);
        Bytes.putInt(bytes, size, value);
        size += 4;
    }

    private void putLong(long value) {
        room(8);
        Bytes.putLong(bytes, size, value);
        size += 8;
    }

    /** Starts a row of {@code fields} fields. */
    public BinaryRows row(int fields) {
        rows++;
        putShort(fields);
        return this;
    }

    /** A text field (varchar, text), or NULL. */
    public BinaryRows text(String value) {
        if (value == null) {
            putInt(-1);
            return this;
        }
        room(4 + Bytes.maxUtf8(value));
        int end = Bytes.putUtf8(bytes, size + 4, value);
        Bytes.putInt(bytes, size, end - size - 4);
        size = end;
        return this;
    }

    /** A smallint field. */
    public BinaryRows int2(int value) {
        putInt(2);
        putShort(value);
        return this;
    }

    /** An integer field. */
    public BinaryRows int4(int value) {
        putInt(4);
        putInt(value);
        return this;
    }

    /** A boolean field. */
    public BinaryRows bool(boolean value) {
        putInt(1);
        room(1);
        bytes[size++] = (byte) (value ? 1 : 0);
        return this;
    }

    /** A uuid field: its 16 bytes, most significant first. */
    public BinaryRows uuid(UUID value) {
        putInt(16);
        putLong(value.getMostSignificantBits());
        putLong(value.getLeastSignificantBits());
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
        putInt(8);
        putLong(value);
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
        trailer();
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn(copySql);
        try {
            copy.writeToCopy(bytes, 0, size);
            return copy.endCopy();
        }
        finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private boolean finished;

    private void trailer() {
        if (!finished) {
            putShort(-1);
            finished = true;
        }
    }

    /** The whole COPY stream, with its trailer. */
    public byte[] finish() {
        trailer();
        return Arrays.copyOf(bytes, size);
    }
}
