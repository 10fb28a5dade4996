package dev.rollout.clusterbatcher.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class BinaryRowsTest {

    static final UUID ID = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    static final Instant AT = Instant.parse("2026-12-03T10:15:30.123456Z");

    @Test
    void rowsAreWrittenInPostgresqlsBinaryCopyFormatWhateverTheirTextAndSize() throws IOException {
        // started far too small: the stream grows as rows come
        BinaryRows rows = new BinaryRows(1);
        for (String text : new String[] { "agent-000000001", "agent-ü-Zürich-東京", "", null }) {
            rows.row(7).uuid(ID).text(text).int2(-11).int4(42).int8(-5_000_000_000L).bool(true).timestamptz(AT);
        }
        assertThat(rows.isEmpty()).isFalse();
        assertThat(rows.finish()).isEqualTo(expected());
        // the trailer is written once, however often the stream is asked for
        assertThat(rows.finish()).isEqualTo(expected());
    }

    /** The same rows as the format's documentation lays them out, written field by field. */
    private static byte[] expected() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0 });
        out.writeInt(0);
        out.writeInt(0);
        for (String text : new String[] { "agent-000000001", "agent-ü-Zürich-東京", "", null }) {
            out.writeShort(7);
            out.writeInt(16);
            out.writeLong(ID.getMostSignificantBits());
            out.writeLong(ID.getLeastSignificantBits());
            if (text == null) {
                out.writeInt(-1);
            }
            else {
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
            out.writeInt(2);
            out.writeShort(-11);
            out.writeInt(4);
            out.writeInt(42);
            out.writeInt(8);
            out.writeLong(-5_000_000_000L);
            out.writeInt(1);
            out.writeByte(1);
            out.writeInt(8);
            // microseconds since 2000-01-01T00:00:00Z
            out.writeLong((AT.getEpochSecond() - 946_684_800L) * 1_000_000L + AT.getNano() / 1_000);
        }
        out.writeShort(-1);
        return bytes.toByteArray();
    }
}
