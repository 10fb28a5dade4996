package dev.rollout.starter.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

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
        assertThatThrownBy(() -> new RolloutTimeProperties(0.5, null, null)).hasMessageContaining("rollout.time.speed");
    }

    @Test
    void aChangeOfPaceAppliesFromItsInstantOnWithoutAJump() {
        Clock real = Clock.fixed(ORIGIN.plusSeconds(10), ZoneOffset.UTC);
        List<ClockPace.Step> steps = new ArrayList<>(List.of(new ClockPace.Step(ORIGIN, ORIGIN, 1000)));
        Instant before = ClockPace.at(steps, ORIGIN.plusSeconds(11));
        steps.add(new ClockPace.Step(ORIGIN.plusSeconds(11), before, 3000));
        assertThat(before).isEqualTo(ORIGIN.plusSeconds(11_000));
        assertThat(ClockPace.at(steps, ORIGIN.plusSeconds(10))).isEqualTo(ORIGIN.plusSeconds(10_000));
        assertThat(ClockPace.at(steps, ORIGIN.plusSeconds(11))).isEqualTo(before);
        assertThat(ClockPace.at(steps, ORIGIN.plusSeconds(12))).isEqualTo(ORIGIN.plusSeconds(14_000));
        assertThat(ClockPace.speedAt(steps, real.instant())).isEqualTo(1000);
        assertThat(ClockPace.speedAt(steps, ORIGIN.plusSeconds(11))).isEqualTo(3000);
    }

    @Test
    void aFastForwardReachesItsInstantOnTimeThenRunsOnAtTheSpeedBefore(@TempDir Path dir) {
        ClockPace pace = new ClockPace(dir.resolve("clock-pace"));
        pace.start(ORIGIN, 1000);
        Clock real = Clock.fixed(ORIGIN.plusSeconds(10), ZoneOffset.UTC);
        // at 10 s the platform shows 10,000 s; from 11 s (11,000 s) on, reach 25,000 s in half a second
        Instant until = ORIGIN.plusSeconds(25_000);
        List<ClockPace.Step> written = pace.fastForward(until, 2000, Duration.ofSeconds(1), Duration.ofMillis(500),
                real);
        List<ClockPace.Step> steps = ClockPace.read(pace.file());
        assertThat(written).hasSize(2);
        assertThat(steps).hasSize(3);
        assertThat(ClockPace.at(steps, ORIGIN.plusSeconds(11))).isEqualTo(ORIGIN.plusSeconds(11_000));
        assertThat(ClockPace.speedAt(steps, ORIGIN.plusSeconds(11))).isEqualTo(28_000);
        assertThat(ClockPace.at(steps, ORIGIN.plusMillis(11_250))).isEqualTo(ORIGIN.plusSeconds(18_000));
        assertThat(ClockPace.at(steps, ORIGIN.plusMillis(11_500))).isEqualTo(until);
        // then on at the pace asked for
        assertThat(ClockPace.at(steps, ORIGIN.plusSeconds(12))).isEqualTo(until.plusSeconds(1000));
        assertThat(pace.speed()).isEqualTo(2000);
        // nothing to skip: the clock is there by then, or would be sooner at its own speed
        Clock later = Clock.fixed(ORIGIN.plusSeconds(20), ZoneOffset.UTC);
        assertThat(pace.fastForward(ORIGIN.plusSeconds(25_000), 2000, Duration.ofSeconds(1), Duration.ofMillis(500),
                later)).isEmpty();
        assertThat(pace.fastForward(ORIGIN.plusSeconds(44_900), 2000, Duration.ofSeconds(1), Duration.ofMillis(500),
                later)).isEmpty();
        // a change still to come keeps its place: no lapse is written ahead of it
        assertThat(pace.fastForward(ORIGIN.plusSeconds(99_000), 2000, Duration.ofSeconds(1), Duration.ofMillis(500),
                real)).isEmpty();
        assertThat(ClockPace.read(pace.file())).hasSize(3);
    }

    @Test
    void clocksFollowingOnePaceFileAgreeBeforeAndAfterItChanges(@TempDir Path dir) throws Exception {
        ClockPace pace = new ClockPace(dir.resolve("clock-pace"));
        Instant origin = Instant.now();
        pace.start(origin, 1000);
        ScaledClock one = ScaledClock.following(Clock.systemUTC(), pace.file());
        ScaledClock two = ScaledClock.following(Clock.systemUTC(), pace.file());
        assertThat(one.speed()).isEqualTo(1000);

        ClockPace.Step step = pace.change(4000, Duration.ofMillis(500), Clock.systemUTC());
        // a second ahead of the change: both have read it by then
        Thread.sleep(Duration.between(Instant.now(), step.realFrom()).toMillis() + 100);
        assertThat(one.speed()).isEqualTo(4000);
        assertThat(two.speed()).isEqualTo(4000);
        assertThat(pace.speed()).isEqualTo(4000);
        Instant real = Instant.now();
        Clock fixed = Clock.fixed(real, ZoneOffset.UTC);
        // the same real instant reads the same platform instant on both, on from the step without a jump
        assertThat(ClockPace.at(ClockPace.read(pace.file()), real)).isEqualTo(step.platformFrom()
                .plusNanos(Duration.between(step.realFrom(), real).toNanos() * 4000));
        assertThat(Duration.between(one.instant(), two.instant()).abs()).isLessThan(Duration.ofSeconds(60));
        assertThat(ScaledClock.realTime(one, Duration.ofHours(6))).isEqualTo(Duration.ofMillis(5400));
        assertThat(fixed.instant()).isEqualTo(real);
        assertThat(Files.readString(pace.file())).contains(" 4000.0");
    }

    @Test
    void aPaceFileThatSaysNothingUsableIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("clock-pace"), "2026-11-26T00:00:00Z 2026-11-26T00:00:00Z\n");
        assertThatThrownBy(() -> ClockPace.read(file)).hasMessageContaining("<real instant> <platform instant>");
        Files.writeString(file, "# nothing\n");
        assertThatThrownBy(() -> ClockPace.read(file)).hasMessageContaining("has no step");
        Files.writeString(file, "2026-11-26 2026-11-26T00:00:00Z 1000\n");
        assertThatThrownBy(() -> ClockPace.read(file)).hasMessageContaining("instants as 2026-12-03T10:15:30Z");
        Files.writeString(file, "2026-11-26T00:00:00Z 2026-11-26T00:00:00Z 0.5\n");
        assertThatThrownBy(() -> ClockPace.read(file)).hasMessageContaining("between 1 and 1e9");
    }

    @Test
    void aServiceGivenAPaceFileFollowsItsChanges(@TempDir Path dir) throws Exception {
        ClockPace pace = new ClockPace(dir.resolve("clock-pace"));
        pace.start(Instant.now(), 500);
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TimeAutoConfiguration.class))
                .withPropertyValues("rollout.time.pace-file=" + pace.file())
                .run(context -> {
                    ScaledClock clock = (ScaledClock) context.getBean(Clock.class);
                    assertThat(clock.speed()).isEqualTo(500);
                    ClockPace.Step step = pace.change(2500, Duration.ofMillis(300), Clock.systemUTC());
                    Thread.sleep(Duration.between(Instant.now(), step.realFrom()).toMillis() + 100);
                    assertThat(clock.speed()).isEqualTo(2500);
                    Instant platform = clock.instant();
                    Instant expected = ClockPace.at(ClockPace.read(pace.file()), Instant.now());
                    assertThat(Duration.between(expected, platform).abs())
                            .isLessThan(Duration.ofSeconds(30));
                });
    }
}
