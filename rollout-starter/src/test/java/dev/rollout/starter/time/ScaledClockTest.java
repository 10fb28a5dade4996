package dev.rollout.starter.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ScaledClockTest {

    static final Instant ORIGIN = Instant.parse("2026-11-26T00:00:00Z");

    @Test
    void oneRealSecondIsSpeedSecondsOfPlatformTimeFromTheOrigin() {
        Clock real = Clock.fixed(ORIGIN.plusSeconds(2), ZoneOffset.UTC);
        assertThat(new ScaledClock(real, ORIGIN, 3600).instant()).isEqualTo(ORIGIN.plus(Duration.ofHours(2)));
        assertThat(new ScaledClock(Clock.fixed(ORIGIN, ZoneOffset.UTC), ORIGIN, 3600).instant()).isEqualTo(ORIGIN);
    }

    @Test
    void twoProcessesWithTheSameOriginAndSpeedAgree() {
        Clock real = Clock.fixed(ORIGIN.plusMillis(12_345), ZoneOffset.UTC);
        assertThat(new ScaledClock(real, ORIGIN, 100_000).instant())
                .isEqualTo(new ScaledClock(real, ORIGIN, 100_000).instant())
                .isEqualTo(ORIGIN.plusSeconds(1_234_500));
    }

    @Test
    void realWaitingTimeShrinksWithTheSpeed() {
        Clock scaled = new ScaledClock(Clock.systemUTC(), ORIGIN, 3600);
        assertThat(ScaledClock.realTime(scaled, Duration.ofHours(6))).isEqualTo(Duration.ofSeconds(6));
        assertThat(ScaledClock.realTime(Clock.systemUTC(), Duration.ofHours(6))).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void aSpeedBelowOneIsRefused() {
        assertThatThrownBy(() -> new RolloutTimeProperties(0.5, null)).hasMessageContaining("rollout.time.speed");
    }
}
