package dev.rollout.clusterbatcher.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/**
 * A seat checks out for the agent and plan it was signed for, and for nothing else: not another agent, not another
 * plan's key, not the same plan under another rollout, not with any one character changed.
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
}
