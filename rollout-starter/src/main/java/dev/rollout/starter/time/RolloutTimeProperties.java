package dev.rollout.starter.time;

import java.nio.file.Path;
import java.time.Instant;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The platform's clock. {@code speed} 1 (the default) is real time. A demo or a test runs weeks of soak in
 * minutes with a higher speed: every service of one platform gets the same {@code origin} and speed, so they
 * agree on what time it is. With {@code pace-file} instead, the clock follows the pace in that file, which
 * every service of the platform reads, and which may change while they run ({@link ClockPace}: the demo's clock
 * follows the pace it measures on the machine).
 *
 * @param speed how many seconds of platform time pass per real second
 * @param origin the real instant from which time runs faster (default: when the service starts)
 * @param paceFile a {@link ClockPace} file to follow instead of {@code speed} and {@code origin}
 */
@ConfigurationProperties("rollout.time")
public record RolloutTimeProperties(Double speed, Instant origin, Path paceFile) {

    public RolloutTimeProperties {
        if (speed == null) {
            speed = 1.0;
        }
        if (!(speed >= 1.0) || speed > 1_000_000_000.0) {
            throw new IllegalArgumentException("rollout.time.speed must be between 1 and 1e9, was " + speed);
        }
    }
}
