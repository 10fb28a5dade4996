package dev.rollout.clusterbatcher.system;

import java.nio.charset.StandardCharsets;

/**
 * Big-endian numbers and UTF-8 texts written into a byte array in place: the binary COPY stream, an upload's spool and
 * a seat's signed message are laid out this way, millions of times a fleet, with no stream or encoder in between.
 * The caller leaves room: 2, 4 or 8 bytes for a number, at most {@link #maxUtf8(String)} for a text.
 */
public final class Bytes {

    private Bytes() {
    }

    /** The most bytes {@code text} takes in UTF-8 (three a character: a surrogate pair's four are two characters'). */
    public static int maxUtf8(String text) {
        return 3 * text.length();
    }

    /**
     * Writes {@code text} in UTF-8 from {@code at}; where it ends. An ASCII text is copied character by character;
     * one with any other character is encoded as a whole.
     */
    public static int putUtf8(byte[] to, int at, String text) {
        int n = text.length();
        int end = at;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(utf8, 0, to, at, utf8.length);
                return at + utf8.length;
            }
            to[end++] = (byte) c;
        }
        return end;
    }

    /** Writes {@code value} in decimal digits (a minus first where it is negative) from {@code at}; where it ends. */
    public static int putDecimal(byte[] to, int at, long value) {
        if (value < 0) {
            to[at++] = '-';
        }
        else {
            value = -value;
        }
        // counted and written on the negative side, where Long.MIN_VALUE has its digits too
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        for (int i = at + digits - 1; i >= at; i--) {
            to[i] = (byte) ('0' - value % 10);
            value /= 10;
        }
        return at + digits;
    }

    public static void putShort(byte[] to, int at, int value) {
        to[at] = (byte) (value >>> 8);
        to[at + 1] = (byte) value;
    }

    public static void putInt(byte[] to, int at, int value) {
        to[at] = (byte) (value >>> 24);
        to[at + 1] = (byte) (value >>> 16);
        to[at + 2] = (byte) (value >>> 8);
        to[at + 3] = (byte) value;
    }

    public static void putLong(byte[] to, int at, long value) {
        putInt(to, at, (int) (value >>> 32));
        putInt(to, at + 4, (int) value);
    }
}
