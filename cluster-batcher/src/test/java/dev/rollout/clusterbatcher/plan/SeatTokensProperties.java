package dev.rollout.clusterbatcher.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * A seat checks out for the agent and plan it was signed for, and for nothing else: not another agent, not another
 * plan's key, not the same plan under another rollout, not with any one character changed; its tag is the HMAC of the
 * documented message, so that seats handed out by one version of the service check out in another.
 */
class SeatTokensProperties {

    @Provide
    Arbitrary<Character> characters() {
        return Arbitraries.chars().with("0123456789.+-_abcxyzABCXYZ");
    }

    @Property(tries = 2_000)
    void aSeatChecksOutForItsAgentAndPlanOnly(@ForAll @StringLength(min = 1, max = 128) String agent,
            @ForAll @StringLength(min = 1, max = 128) String other, @ForAll @IntRange(min = 0, max = 100_000) int stratum,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long rank, @ForAll @IntRange(min = 0, max = 200) int at,
            @ForAll("characters") char replacement) {
        UUID rollout = UUID.randomUUID();
        byte[] key = SeatTokens.newKey();
        SeatTokens plan = new SeatTokens(rollout, key);
        String token = plan.sign(agent, stratum, rank);

        assertThat(plan.verify(agent, token)).isEqualTo(new SeatTokens.Seat(stratum, rank));
        assertThat(new SeatTokens(rollout, key).verify(agent, token)).as("another replica, the same plan")
                .isEqualTo(new SeatTokens.Seat(stratum, rank));
        if (!other.equals(agent)) {
            assertThat(plan.verify(other, token)).isNull();
        }
        assertThat(new SeatTokens(rollout, SeatTokens.newKey()).verify(agent, token)).isNull();
        assertThat(new SeatTokens(UUID.randomUUID(), key).verify(agent, token)).isNull();

        int i = at % token.length();
        String changed = token.substring(0, i) + replacement + token.substring(i + 1);
        if (!changed.equals(token)) {
            assertThat(plan.verify(agent, changed)).as(changed).isNull();
        }
        assertThat(plan.verify(agent, token + "A")).isNull();
        assertThat(plan.verify(agent, token.substring(1))).isNull();
        assertThat(plan.verify(agent, "0" + token)).as("one spelling per seat").isNull();
    }

    @Example
    void theTagIsTheHmacOfRolloutStratumRankAndAgent() throws Exception {
        UUID rollout = UUID.fromString("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
        byte[] key = new byte[SeatTokens.KEY_BYTES];
        Arrays.fill(key, (byte) 7);
        for (String agent : new String[] { "agent-000000042", "agent-é-\uD83D\uDE80" }) {
            byte[] id = agent.getBytes(StandardCharsets.UTF_8);
            ByteBuffer message = ByteBuffer.allocate(28 + id.length).putLong(rollout.getMostSignificantBits())
                    .putLong(rollout.getLeastSignificantBits()).putInt(17).putLong(4_321L).put(id);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String tag = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Arrays.copyOf(mac.doFinal(message.array()), 12));
            SeatTokens plan = new SeatTokens(rollout, key);
            assertThat(plan.sign(agent, 17, 4_321L)).isEqualTo("17.4321." + tag);
            assertThat(plan.verify(agent, "17.4321." + tag)).isEqualTo(new SeatTokens.Seat(17, 4_321L));
            for (String other : new String[] { "+17.4321." + tag, "017.4321." + tag, "17.04321." + tag, "17.+4321." + tag,
                    "17.4321." + tag.substring(0, 14) + "==", " 17.4321." + tag }) {
                assertThat(plan.verify(agent, other)).as(other).isNull();
            }
        }
    }

    /**
     * A listing signs each seat from its agent id's bytes as the database sent them, into the page, with one signer
     * for the whole page: each token is the one signed from the id as a string, whatever came before it.
     */
    @Property(tries = 300)
    void aSeatSignedFromTheIdsBytesIsTheSameToken(@ForAll @Size(max = 20) List<@StringLength(max = 200) String> agents,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int stratum,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long rank, @ForAll @IntRange(min = 0, max = 40) int at) {
        SeatTokens plan = new SeatTokens(UUID.randomUUID(), SeatTokens.newKey());
        SeatTokens.Signer signer = plan.signer();
        byte[] out = new byte[at + SeatTokens.MAX_TOKEN_BYTES];
        for (String agent : agents) {
            byte[] id = ("<" + agent + ">").getBytes(StandardCharsets.UTF_8);
            int end = signer.sign(id, 1, id.length - 2, stratum, rank, out, at);
            String token = new String(out, at, end - at, StandardCharsets.US_ASCII);

            assertThat(token).isEqualTo(plan.sign(agent, stratum, rank)).isEqualTo(signer.sign(agent, stratum, rank));
            assertThat(signer.verify(agent, token)).isEqualTo(new SeatTokens.Seat(stratum, rank));
        }
    }
}
