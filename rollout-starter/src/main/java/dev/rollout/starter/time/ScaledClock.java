package dev.rollout.starter.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A clock that runs {@code speed} times faster than {@code base} from {@code origin} on: at the origin it
 * shows the origin, one real second later {@code origin + speed} seconds. Two processes with the same base
 * time, origin and speed show the same instant.
 */
public final class ScaledClock extends Clock {

    private final Clock base;
    private final Instant origin;
    private final double speed;

    public ScaledClock(Clock base, Instant origin, double speed) {
        this.base = base;
        this.origin = origin;
        this.speed = speed;
    }

    @Override
    public Instant instant() {
        Instant real = base.instant();
        if (speed == 1.0) {
            return real;
        }
        long elapsedNanos = Duration.between(origin, real).toNanos();
        double scaled = elapsedNanos * speed;
        long seconds = (long) Math.floor(scaled / 1e9);
        long nanos = (long) (scaled - seconds * 1e9);
        return origin.plusSeconds(seconds).plusNanos(nanos);
    }

    /** How long to wait in real time for {@code platform} time to pass. */
    public static Duration realTime(Clock clock, Duration platform) {
        if (clock instanceof ScaledClock scaled && scaled.speed != 1.0) {
            return Duration.ofNanos((long) Math.ceil(platform.toNanos() / scaled.speed));
        }
        return platform;
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(base.getZone()) ? this : new ScaledClock(base.withZone(zone), origin, speed);
    }

    @Override
    public String toString() {
        return "ScaledClock[origin=" + origin + ", speed=" + speed + "]";
    }
}
