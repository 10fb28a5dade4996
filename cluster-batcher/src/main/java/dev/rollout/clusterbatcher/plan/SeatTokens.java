package dev.rollout.clusterbatcher.plan;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

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
        if (first <= 0 || second <= first + 1 || token.length() - second - 1 != 16) {
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
        // the whole token as this plan signs it: one spelling per seat (no sign, no leading zero), compared in
        // constant time
        if (stratum < 0 || rank < 0 || !MessageDigest.isEqual(sign(agentId, stratum, rank)
                .getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        return new Seat(stratum, rank);
    }

    private byte[] tag(String agentId, int stratum, long rank) {
        byte[] agent = agentId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer message = ByteBuffer.allocate(16 + 4 + 8 + agent.length);
        message.putLong(rolloutId.getMostSignificantBits()).putLong(rolloutId.getLeastSignificantBits())
                .putInt(stratum).putLong(rank).put(agent);
        byte[] full = macs.get().doFinal(message.array());
        byte[] tag = new byte[TAG_BYTES];
        System.arraycopy(full, 0, tag, 0, TAG_BYTES);
        return tag;
    }
}
