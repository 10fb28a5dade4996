package dev.rollout.starter.time;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pace of a fast platform clock over real time, kept in one file that every service of the platform reads
 * (a demo or a drill on one machine): a step per line, {@code <real instant> <platform instant> <speed>}, each
 * from its real instant on. A change is written ahead of when it applies ({@link #change}), so that every
 * service has read it before: the services never disagree on the time, and the clock never jumps, it only
 * runs faster or slower from then on.
 */
public final class ClockPace {

    /** From {@code realFrom} on, platform time is {@code platformFrom} plus {@code speed} times the real time since. */
    public record Step(Instant realFrom, Instant platformFrom, double speed) {

        public Step {
            if (!(speed >= 1.0) || speed > 1_000_000_000.0) {
                throw new IllegalArgumentException("A clock's speed must be between 1 and 1e9, was " + speed);
            }
        }

        Instant at(Instant real) {
            double scaled = Duration.between(realFrom, real).toNanos() * speed;
            long seconds = (long) Math.floor(scaled / 1e9);
            return platformFrom.plusSeconds(seconds).plusNanos((long) (scaled - seconds * 1e9));
        }
    }

    private final Path file;

    public ClockPace(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Starts the pace afresh: platform time is real time at {@code origin} and runs {@code speed} times faster. */
    public void start(Instant origin, double speed) {
        write(List.of(new Step(origin, origin, speed)));
    }

    /**
     * From {@code notice} from now on, the clock runs {@code speed} times faster than real time, on from the
     * platform time it shows then. Returns the step written.
     */
    public Step change(double speed, Duration notice, Clock real) {
        List<Step> steps = new ArrayList<>(read(file));
        Instant from = real.instant().plus(notice);
        steps.add(new Step(from, at(steps, from), speed));
        write(steps);
        return steps.get(steps.size() - 1);
    }

    /**
     * From {@code notice} from now on, the clock runs fast enough to reach the platform instant {@code until} in
     * {@code over} of real time, then on at {@code then} times real time: two steps written at once (a time-lapse of
     * a span in which nothing is awaited any more). Returns the steps written; none where the clock shows
     * {@code until} by then, or where its speed would reach it sooner anyway. A service that reads the change late
     * sees its clock jump forward, never back: the lapse only runs faster than the pace before it.
     */
    public List<Step> fastForward(Instant until, double then, Duration notice, Duration over, Clock real) {
        List<Step> steps = new ArrayList<>(read(file));
        Instant from = real.instant().plus(notice);
        if (from.isBefore(steps.get(steps.size() - 1).realFrom())) {
            return List.of(); // a change still to come: the steps stay in their order
        }
        Instant platformFrom = at(steps, from);
        double fast = Duration.between(platformFrom, until).toNanos() / (double) over.toNanos();
        if (!(fast > speedAt(steps, from))) {
            return List.of();
        }
        Step lapse = new Step(from, platformFrom, fast);
        Step after = new Step(from.plus(over), until, then);
        steps.add(lapse);
        steps.add(after);
        write(steps);
        return List.of(lapse, after);
    }

    /** The speed of the last step written. */
    public double speed() {
        List<Step> steps = read(file);
        return steps.get(steps.size() - 1).speed();
    }

    /** The steps in the file, in order; at least one. */
    public static List<Step> read(Path file) {
        try {
            List<Step> steps = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.trim().split("\\s+");
                if (fields.length != 3) {
                    throw new IllegalArgumentException("A clock pace step is '<real instant> <platform instant>"
                            + " <speed>', was '" + line + "' in " + file);
                }
                try {
                    steps.add(new Step(Instant.parse(fields[0]), Instant.parse(fields[1]),
                            Double.parseDouble(fields[2])));
                }
                catch (DateTimeParseException | NumberFormatException e) {
                    throw new IllegalArgumentException("A clock pace step is '<real instant> <platform instant>"
                            + " <speed>' (instants as 2026-12-03T10:15:30Z), was '" + line + "' in " + file, e);
                }
            }
            if (steps.isEmpty()) {
                throw new IllegalArgumentException("The clock pace file " + file + " has no step");
            }
            return steps;
        }
        catch (IOException e) {
            throw new UncheckedIOException("The clock pace file " + file + " cannot be read", e);
        }
    }

    /** Platform time at a real instant: by the last step that has begun (the first one before any). */
    static Instant at(List<Step> steps, Instant real) {
        Step current = steps.get(0);
        for (Step step : steps) {
            if (!step.realFrom().isAfter(real)) {
                current = step;
            }
        }
        return current.at(real);
    }

    /** The speed at a real instant. */
    static double speedAt(List<Step> steps, Instant real) {
        double speed = steps.get(0).speed();
        for (Step step : steps) {
            if (!step.realFrom().isAfter(real)) {
                speed = step.speed();
            }
        }
        return speed;
    }

    private void write(List<Step> steps) {
        StringBuilder text = new StringBuilder("# real instant, platform instant, speed from then on\n");
        steps.forEach(s -> text.append(s.realFrom()).append(' ').append(s.platformFrom()).append(' ')
                .append(s.speed()).append('\n'));
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path next = Files.createTempFile(parent, file.getFileName().toString(), ".next");
            Files.writeString(next, text, StandardCharsets.UTF_8);
            // the readers see the old file or the new one, never half of it
            try {
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (AtomicMoveNotSupportedException e) {
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("The clock pace file " + file + " cannot be written", e);
        }
    }
}
