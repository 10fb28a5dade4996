package dev.rollout.clusterbatcher.plan;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
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
    static final int KEY_BYTES = 32;
    /** Bytes of the tag kept in a token: 96 bits, 16 characters. */
    private static final int TAG_BYTES = 12;
    private static final int TAG_CHARACTERS = 16;
    /** The signed message's fixed part: the rollout (16 bytes), the stratum (4) and the rank (8); the agent id follows. */
    private static final int HEADER_BYTES = 28;
    /** A thread's buffer for the signed message: its fixed part and an agent id of up to 128 characters. */
    private static final ThreadLocal<byte[]> MESSAGES = ThreadLocal.withInitial(() -> new byte[HEADER_BYTES + 3 * 128]);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final UUID rolloutId;
    private final SecretKeySpec key;
    /** A Mac is not thread-safe; one per thread, initialised once with this plan's key. */
    private final ThreadLocal<Mac> macs;

    SeatTokens(UUID rolloutId, byte[] key) {
        this.rolloutId = rolloutId;
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::mac);
    }

    /** A new plan's key. */
    static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The token of agent {@code agentId} at rank {@code rank} of stratum {@code stratum}. */
    public String sign(String agentId, int stratum, long rank) {
        return stratum + "." + rank + "." + ENCODER.encodeToString(tag(agentId, stratum, rank));
    }

    /**
     * The seat a token names, when this plan's key signed it for this agent; null for anything else (another agent,
     * rollout or plan, a changed digit, not a token at all).
     */
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
        byte[] tag;
        try {
            stratum = Integer.parseInt(token, 0, first, 10);
            rank = Long.parseLong(token, first + 1, second, 10);
            // 16 characters of the URL-safe alphabet are exactly 96 bits: each tag has one spelling
            tag = DECODER.decode(token.substring(second + 1));
        }
        catch (IllegalArgumentException e) {
            return null;
        }
        return MessageDigest.isEqual(tag(agentId, stratum, rank), tag) ? new Seat(stratum, rank) : null;
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

    /**
     * The first 96 bits of the HMAC over the rollout, the stratum, the rank and the agent's UTF-8 bytes, the message
     * laid out in a buffer of the thread's (a listing signs and a call of acknowledgements checks 10,000 at a time).
     */
    private byte[] tag(String agentId, int stratum, long rank) {
        byte[] message = MESSAGES.get();
        if (HEADER_BYTES + Bytes.maxUtf8(agentId) > message.length) {
            message = new byte[HEADER_BYTES + Bytes.maxUtf8(agentId)];
        }
        Bytes.putLong(message, 0, rolloutId.getMostSignificantBits());
        Bytes.putLong(message, 8, rolloutId.getLeastSignificantBits());
        Bytes.putInt(message, 16, stratum);
        Bytes.putLong(message, 20, rank);
        int length = Bytes.putUtf8(message, HEADER_BYTES, agentId);
        Mac mac = macs.get();
        mac.update(message, 0, length);
        byte[] full = mac.doFinal();
        return Arrays.copyOf(full, TAG_BYTES);
    }
}
