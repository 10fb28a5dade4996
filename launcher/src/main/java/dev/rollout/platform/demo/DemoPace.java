package dev.rollout.platform.demo;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How fast the demo's clock runs, from the pace measured on the machine at hand: a batch's observation window
 * (six hours of platform time) should outlast its agents' answers, with a margin; once they are in, the rest of it
 * passes in a time-lapse ({@link #LAPSE}), so that the margin costs no real time. Before any batch has answered, the
 * fleet's registration gives the pace (listing a batch and acknowledging its agents costs up to about five times what
 * registering as many agents did, loaded then indexed); then the slowest of the last three batches' answers does.
 */
final class DemoPace {

    static final Duration WINDOW = Duration.ofHours(6);
    /**
     * A window lasts this many times the answers expected: batches of one run answer within some 20% of each other
     * on a busy machine, and a window that closes first costs a pause and a resume, while what is left of one once
     * its agents have answered passes in a time-lapse...
     */
    static final double MARGIN = 2.0;
    /** ...plus this, for the gate's evaluation and the reconciler's next look (every 0.5 s). */
    static final double SLACK_SECONDS = 1.0;
    /**
     * What the first batch's listing and answers cost per agent, against registering it: 3.0 to 4.8 measured at
     * 20,000,000 agents (its listing is the first read of the fleet just indexed, and cannot be made ahead).
     */
    static final double FIRST_BATCH_TO_REGISTRATION = 5.0;
    /** How long ahead of its instant a change of pace is written: every service has read it by then (every 50 ms). */
    static final Duration NOTICE = Duration.ofSeconds(1);
    /**
     * How long ahead a time-lapse is written: a service that reads it late only sees its clock jump forward, as it
     * would in the lapse, so a few of the services' looks suffice.
     */
    static final Duration LAPSE_NOTICE = Duration.ofMillis(300);
    /** How long the rest of a span passes in, once nothing more is awaited in it (a time-lapse). */
    static final Duration LAPSE = Duration.ofMillis(300);
    static final double MIN_SPEED = 200;
    static final double MAX_SPEED = 20_000;

    private final Deque<Double> answers = new ArrayDeque<>();

    /** The speed at which a window of six hours lasts {@code seconds} of real time, within the bounds. */
    static double speedFor(double seconds) {
        return Math.max(MIN_SPEED, Math.min(MAX_SPEED, WINDOW.toSeconds() / seconds));
    }

    /** The real seconds a window lasts at {@code speed}. */
    static double windowSeconds(double speed) {
        return WINDOW.toSeconds() / speed;
    }

    /** Before anything is measured: a guess from the batch's size (1,000,000 agents: ~16 s). */
    static double guess(long batchSize) {
        return speedFor(batchSize / 80_000.0 + 3.5);
    }

    /** Once the fleet is registered at {@code secondsPerAgent}: the first batch, listed and answered, at that pace. */
    double afterRegistration(double secondsPerAgent, long batchSize) {
        return speedFor(MARGIN * FIRST_BATCH_TO_REGISTRATION * secondsPerAgent * batchSize + SLACK_SECONDS);
    }

    /** Once a batch's agents have answered in {@code seconds}: the next windows outlast the slowest of the last 3. */
    double afterBatch(double seconds) {
        answers.addLast(seconds);
        if (answers.size() > 3) {
            answers.removeFirst();
        }
        return speedFor(MARGIN * slowest() + SLACK_SECONDS);
    }

    /** The slowest of the last three batches' answers, in seconds (0 before any). */
    double slowest() {
        return answers.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
