package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.rollout.starter.web.ProblemWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The per-identity limiters are bounded without forgetting an identity that has used permits in the period. */
class AgentRateLimitsTest {

    @Test
    void pastTheBoundOnlyLimitersWithAllTheirPermitsAreDroppedSoAnExhaustedIdentityStaysRefused() throws Exception {
        AgentRateLimits limits = new AgentRateLimits(2, Duration.ofMillis(400), 3,
                new ProblemWriter(JsonMapper.builder().build()), new SimpleMeterRegistry());
        assertThat(limits.acquire("a")).isTrue();
        assertThat(limits.acquire("a")).isTrue();
        assertThat(limits.acquire("a")).as("the third call of the period").isFalse();
        for (String other : new String[] {"b", "c", "d", "e", "f"}) {
            assertThat(limits.acquire(other)).isTrue();
        }
        // every identity held used a permit within the period: none may be dropped, "a" is still at its limit
        assertThat(limits.identitiesHeld()).isEqualTo(6);
        assertThat(limits.acquire("a")).isFalse();

        Thread.sleep(500); // the next period: every limiter is full again, the same as a new one
        assertThat(limits.acquire("g")).isTrue();
        assertThat(limits.identitiesHeld()).as("the full limiters were dropped, the newest kept").isEqualTo(1);
        assertThat(limits.acquire("a")).isTrue();
        assertThat(limits.acquire("a")).isTrue();
        assertThat(limits.acquire("a")).isFalse();
    }
}
