package dev.rollout.clusterbatcher.plan;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import dev.rollout.clusterbatcher.system.Bytes;

/**
 * An agent's seat in a frozen plan (its stratum and its rank), as the platform hands it out with the agent's desired
 * state or its batch's listing: {@code <stratum>.<rank>.<tag>}, the tag an HMAC-SHA256 (first 96 bits) over the
 * rollout, the agent, the stratum and the rank under the plan's own key (drawn when the plan is frozen, kept with it,
 * so every replica checks what another signed). An acknowledgement that carries it says where its agent sits
 * without a lookup among the fleet's agents; one that does not is looked up as before.
 * <p>
 * A seat tells no more than the listing of a batch does, and grants nothing: the caller must still speak for the
 * agent (and a gateway for the seat's cluster). It stays true while the plan is open, as long as no agent of its
 * batch left its place (a vacated rank is never given to another agent while a plan is open); the agent API falls
 * back to the lookup for a batch that has vacancies.
 */
public final class SeatTokens {

    /** A seat as a token names it. */
    public record Seat(int stratum, long rank) {
    }

    /** Bytes of a plan's key. */
    public static final int KEY_BYTES = 32;
    /** Bytes of the tag kept in a token: 96 bits, 16 characters. */
    private static final int TAG_BYTES = 12;
    private static final int TAG_CHARACTERS = 16;
    /** The most bytes a token takes: a stratum's number (at most 10 digits), a rank's (19), two dots, the tag. */
    public static final int MAX_TOKEN_BYTES = 10 + 1 + 19 + 1 + TAG_CHARACTERS;
    /** The signed message's fixed part: the rollout (16 bytes), the stratum (4) and the rank (8); the agent id follows. */
    private static final int HEADER_BYTES = 28;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .getBytes(StandardCharsets.US_ASCII);
    /** Each character's six bits in the alphabet, -1 for the others. */
    private static final int[] SEXTETS = new int[128];

    static {
        Arrays.fill(SEXTETS, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            SEXTETS[ALPHABET[i]] = i;
        }
    }

    private final UUID rolloutId;
    private final SecretKeySpec key;
    /** For {@link #sign(String, int, long)} and {@link #verify(String, String)}: one signer per thread. */
    private final ThreadLocal<Signer> signers;

    /** The seats of rollout {@code rolloutId}'s plan, signed under {@code key} ({@link #KEY_BYTES} bytes). */
    public SeatTokens(UUID rolloutId, byte[] key) {
        this.rolloutId = rolloutId;
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.signers = ThreadLocal.withInitial(this::signer);
    }

    /** A new plan's key. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /**
     * A signer of this plan's seats for one thread: a page of a listing or a call of acknowledgements takes one and
     * signs or checks its 10,000 seats with it, in buffers of its own.
     */
    public Signer signer() {
        return new Signer();
    }

    /** The token of agent {@code agentId} at rank {@code rank} of stratum {@code stratum}. */
    public String sign(String agentId, int stratum, long rank) {
        return signers.get().sign(agentId, stratum, rank);
    }

    /**
     * The seat a token names, when this plan's key signed it for this agent; null for anything else (another agent,
     * rollout or plan, a changed digit, not a token at all).
     */
    public Seat verify(String agentId, String token) {
        return signers.get().verify(agentId, token);
    }

    /**
     * Signs and checks the seats of this plan: its own {@link Mac} and buffers, so one thread's only. The message is
     * laid out in place, the HMAC written into a buffer, a token written where it goes: nothing is allocated a seat.
     */
    public final class Signer {

        private final Mac mac;
        /** The signed message: its fixed part, then the agent id's UTF-8 (up to 128 characters; grown for longer). */
        private byte[] message = new byte[HEADER_BYTES + 3 * 128];
        private final byte[] digest = new byte[32];
        private final byte[] token = new byte[MAX_TOKEN_BYTES];

        private Signer() {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
            }
            catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
            }
            Bytes.putLong(message, 0, rolloutId.getMostSignificantBits());
            Bytes.putLong(message, 8, rolloutId.getLeastSignificantBits());
        }

        /** The token of agent {@code agentId} at rank {@code rank} of stratum {@code stratum}. */
        public String sign(String agentId, int stratum, long rank) {
            int length = Bytes.putUtf8(room(Bytes.maxUtf8(agentId)), HEADER_BYTES, agentId);
            int end = write(length, stratum, rank, token, 0);
            return new String(token, 0, end, StandardCharsets.US_ASCII);
        }

        /**
         * Writes the token of the agent whose id is the UTF-8 {@code id[from, from + length)} into {@code out} from
         * {@code at} (room for {@link #MAX_TOKEN_BYTES}); where it ends. The same token as {@link #sign(String, int,
         * long)} of the id as a string.
         */
        public int sign(byte[] id, int from, int length, int stratum, long rank, byte[] out, int at) {
            System.arraycopy(id, from, room(length), HEADER_BYTES, length);
            return write(HEADER_BYTES + length, stratum, rank, out, at);
        }

        /** The seat a token names, when this plan's key signed it for this agent; null for anything else. */
        public Seat verify(String agentId, String token) {
            if (token == null) {
                return null;
            }
            int first = token.indexOf('.');
            int second = first < 0 ? -1 : token.indexOf('.', first + 1);
            if (first <= 0 || second <= first + 1 || token.length() - second - 1 != TAG_CHARACTERS) {
                return null;
            }
            // one spelling per seat, as this plan signs it: digits only, no leading zero
            if (!canonical(token, 0, first) || !canonical(token, first + 1, second)) {
                return null;
            }
            int stratum;
            long rank;
            try {
                stratum = Integer.parseInt(token, 0, first, 10);
                rank = Long.parseLong(token, first + 1, second, 10);
            }
            catch (NumberFormatException e) {
                return null;
            }
            int length = Bytes.putUtf8(room(Bytes.maxUtf8(agentId)), HEADER_BYTES, agentId);
            hmac(length, stratum, rank);
            // the tag read as URL-safe Base64: 16 characters of its alphabet are exactly 96 bits, each tag has one
            // spelling; compared in full whatever differs, as MessageDigest.isEqual does
            int differs = 0;
            for (int i = 0, at = second + 1; i < TAG_BYTES; i += 3, at += 4) {
                int a = sextet(token.charAt(at));
                int b = sextet(token.charAt(at + 1));
                int c = sextet(token.charAt(at + 2));
                int d = sextet(token.charAt(at + 3));
                if ((a | b | c | d) < 0) {
                    return null;
                }
                int bits = a << 18 | b << 12 | c << 6 | d;
                differs |= (digest[i] ^ bits >>> 16) & 0xff | (digest[i + 1] ^ bits >>> 8) & 0xff
                        | (digest[i + 2] ^ bits) & 0xff;
            }
            return differs == 0 ? new Seat(stratum, rank) : null;
        }

        /** The message buffer, with room for an agent id of {@code idBytes} after its fixed part. */
        private byte[] room(int idBytes) {
            if (HEADER_BYTES + idBytes > message.length) {
                message = Arrays.copyOf(message, HEADER_BYTES + idBytes);
            }
            return message;
        }

        /** The HMAC of the message's first {@code length} bytes, the stratum and the rank set, into {@code digest}. */
        private void hmac(int length, int stratum, long rank) {
            Bytes.putInt(message, 16, stratum);
            Bytes.putLong(message, 20, rank);
            mac.update(message, 0, length);
            try {
                mac.doFinal(digest, 0);
            }
            catch (ShortBufferException e) {
                throw new IllegalStateException("an HMAC-SHA256 is 32 bytes", e);
            }
        }

        /** {@code <stratum>.<rank>.<tag>} written into {@code out} from {@code at}, the tag the first 96 bits. */
        private int write(int length, int stratum, long rank, byte[] out, int at) {
            hmac(length, stratum, rank);
            at = Bytes.putDecimal(out, at, stratum);
            out[at++] = '.';
            at = Bytes.putDecimal(out, at, rank);
            out[at++] = '.';
            // URL-safe Base64 without padding: 12 bytes, four groups of three, exactly 16 characters
            for (int i = 0; i < TAG_BYTES; i += 3) {
                int bits = (digest[i] & 0xff) << 16 | (digest[i + 1] & 0xff) << 8 | digest[i + 2] & 0xff;
                out[at++] = ALPHABET[bits >>> 18];
                out[at++] = ALPHABET[bits >>> 12 & 0x3f];
                out[at++] = ALPHABET[bits >>> 6 & 0x3f];
                out[at++] = ALPHABET[bits & 0x3f];
            }
            return at;
        }
    }

    /** The six bits a character of the URL-safe Base64 alphabet stands for; -1 for any other character. */
    private static int sextet(char c) {
        return c < 128 ? SEXTETS[c] : -1;
    }

    private static boolean canonical(String token, int from, int to) {
        if (token.charAt(from) == '0' && to - from > 1) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
