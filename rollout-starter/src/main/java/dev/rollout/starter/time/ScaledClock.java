package dev.rollout.starter.time;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that runs faster than {@code base}: from {@code origin} on, {@code speed} times faster (at the origin it
 * shows the origin, one real second later {@code origin + speed} seconds). Two processes with the same base time,
 * origin and speed show the same instant. A clock that follows a {@link ClockPace} file changes its speed when the
 * file says, as every other process following the same file does.
 */
public final class ScaledClock extends Clock {

    /** How often a clock that follows a pace file looks for a change (the demo writes one ahead of its instant). */
    static final Duration PACE_POLL = Duration.ofMillis(50);

    private final Clock base;
    private final AtomicReference<List<ClockPace.Step>> steps;

    public ScaledClock(Clock base, Instant origin, double speed) {
        this(base, new AtomicReference<>(List.of(new ClockPace.Step(origin, origin, speed))));
    }

    private ScaledClock(Clock base, AtomicReference<List<ClockPace.Step>> steps) {
        this.base = base;
        this.steps = steps;
    }

    /** A clock that follows the pace in {@code file}, reading it again whenever it changes (a daemon thread). */
    public static ScaledClock following(Clock base, Path file) {
        // the file's version before its content: a change written in between is read again at the first look
        Object version = version(file);
        AtomicReference<List<ClockPace.Step>> steps = new AtomicReference<>(ClockPace.read(file));
        Thread watcher = new Thread(() -> watch(file, version, steps), "clock-pace");
        watcher.setDaemon(true);
        watcher.start();
        return new ScaledClock(base, steps);
    }

    private static void watch(Path file, Object read, AtomicReference<List<ClockPace.Step>> steps) {
        Object seen = read;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(PACE_POLL.toMillis());
                Object now = version(file);
                if (now != null && !now.equals(seen)) {
                    steps.set(List.copyOf(ClockPace.read(file)));
                    seen = now;
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            catch (RuntimeException e) {
                // unreadable or not a pace: the clock keeps the pace it has and reads the file again at its next look
            }
        }
    }

    /** Which file and when it was written: a change replaces the file (a new one, moved over it). */
    private static Object version(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(attributes.fileKey()), attributes.lastModifiedTime(), attributes.size());
        }
        catch (IOException e) {
            return null;
        }
    }

    @Override
    public Instant instant() {
        List<ClockPace.Step> pace = steps.get();
        Instant real = base.instant();
        if (pace.size() == 1 && pace.get(0).speed() == 1.0) {
            return real;
        }
        return ClockPace.at(pace, real);
    }

    /** How many platform seconds pass per real second now. */
    public double speed() {
        return ClockPace.speedAt(steps.get(), base.instant());
    }

    /** How long to wait in real time for {@code platform} time to pass, at the clock's speed now. */
    public static Duration realTime(Clock clock, Duration platform) {
        if (clock instanceof ScaledClock scaled && scaled.speed() != 1.0) {
            return Duration.ofNanos((long) Math.ceil(platform.toNanos() / scaled.speed()));
        }
        return platform;
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(base.getZone()) ? this : new ScaledClock(base.withZone(zone), steps);
    }

    @Override
    public String toString() {
        return "ScaledClock[" + steps.get() + "]";
    }
}
