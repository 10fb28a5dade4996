package dev.rollout.clusterbatcher.batches;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.rollout.clusterbatcher.plan.SeatTokens;

/**
 * A page of a batch's agents as CSV (RFC 4180, the fleet import's columns and, when asked for, the seat), written in
 * UTF-8 where it goes: a field from the bytes the database sent, each quoted only where it holds a comma, a quote or a
 * line break, a seat signed straight into the page. A batch of 1,000,000 is listed in pages of up to 100,000; no
 * string is made for any of its agents.
 */
final class AgentCsv {

    static final byte[] HEADER = "agent_id,cluster,region,time_zone\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] HEADER_WITH_SEATS = "agent_id,cluster,region,time_zone,seat\n".getBytes(StandardCharsets.US_ASCII);

    private byte[] out;
    private int at;

    /** A page of about {@code rows} agents, its header written. */
    AgentCsv(boolean seats, int rows) {
        byte[] header = seats ? HEADER_WITH_SEATS : HEADER;
        out = new byte[header.length + rows * (seats ? 96 : 56)];
        System.arraycopy(header, 0, out, 0, header.length);
        at = header.length;
    }

    /** A text's UTF-8 (no bytes for null), as {@link #field(byte[])} takes it. */
    static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The field {@code utf8} as it is, or between quotes with each quote doubled where it holds a comma, a quote or a
     * line break. Those four are ASCII, and a byte of a character of several in UTF-8 is never ASCII, so they are found
     * byte by byte.
     */
    AgentCsv field(byte[] utf8) {
        int n = utf8.length;
        boolean quoted = false;
        for (int i = 0; i < n && !quoted; i++) {
            byte b = utf8[i];
            quoted = b == ',' || b == '"' || b == '\n' || b == '\r';
        }
        if (!quoted) {
            room(n);
            System.arraycopy(utf8, 0, out, at, n);
            at += n;
            return this;
        }
        room(2 * n + 2);
        out[at++] = '"';
        for (int i = 0; i < n; i++) {
            byte b = utf8[i];
            out[at++] = b;
            if (b == '"') {
                out[at++] = '"';
            }
        }
        out[at++] = '"';
        return this;
    }

    AgentCsv comma() {
        room(1);
        out[at++] = ',';
        return this;
    }

    AgentCsv lineBreak() {
        room(1);
        out[at++] = '\n';
        return this;
    }

    /** The seat of the agent whose id is {@code id} (UTF-8), signed where it goes. */
    AgentCsv seat(SeatTokens.Signer signer, byte[] id, int stratum, long rank) {
        room(SeatTokens.MAX_TOKEN_BYTES);
        at = signer.sign(id, 0, id.length, stratum, rank, out, at);
        return this;
    }

    private void room(int more) {
        if (at + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, at + more));
        }
    }

    byte[] toBytes() {
        return at == out.length ? out : Arrays.copyOf(out, at);
    }
}
