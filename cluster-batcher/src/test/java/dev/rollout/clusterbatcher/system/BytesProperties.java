package dev.rollout.clusterbatcher.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * What is written in place reads back as the JDK writes it: any text as {@code String.getBytes(UTF_8)}, within the
 * room {@link Bytes#maxUtf8} promised and with nothing touched past it; numbers as a big-endian {@link ByteBuffer},
 * or in decimal as {@link Long#toString(long)}.
 */
class BytesProperties {

    @Property(tries = 3_000)
    void aTextIsItsUtf8WithinTheRoomPromised(@ForAll String text, @ForAll @IntRange(min = 0, max = 9) int at) {
        byte[] to = new byte[at + Bytes.maxUtf8(text) + 1];
        Arrays.fill(to, (byte) 0x5A);

        int end = Bytes.putUtf8(to, at, text);

        byte[] expected = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Arrays.copyOfRange(to, at, end)).isEqualTo(expected);
        assertThat(end - at).isLessThanOrEqualTo(Bytes.maxUtf8(text));
        for (int i = 0; i < at; i++) {
            assertThat(to[i]).isEqualTo((byte) 0x5A);
        }
        for (int i = end; i < to.length; i++) {
            assertThat(to[i]).isEqualTo((byte) 0x5A);
        }
    }

    @Property(tries = 1_000)
    void numbersAreBigEndian(@ForAll long value, @ForAll int word, @ForAll short half) {
        byte[] to = new byte[14];

        Bytes.putLong(to, 0, value);
        Bytes.putInt(to, 8, word);
        Bytes.putShort(to, 12, half);

        ByteBuffer expected = ByteBuffer.allocate(14).putLong(value).putInt(word).putShort(half);
        assertThat(to).isEqualTo(expected.array());
    }

    @Property(tries = 3_000)
    void aNumberInDecimalIsItsDigitsAsLongToStringWritesThem(@ForAll long value, @ForAll @IntRange(min = 0, max = 9) int at) {
        byte[] to = new byte[at + 21];
        Arrays.fill(to, (byte) 0x5A);

        int end = Bytes.putDecimal(to, at, value);

        assertThat(new String(to, at, end - at, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(value));
        for (int i = end; i < to.length; i++) {
            assertThat(to[i]).isEqualTo((byte) 0x5A);
        }
        for (long edge : new long[] { 0, 9, 10, -1, -10, Long.MAX_VALUE, Long.MIN_VALUE }) {
            int last = Bytes.putDecimal(to, 0, edge);
            assertThat(new String(to, 0, last, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(edge));
        }
    }
}
