package dev.rollout.phaseengine.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * A rollout's position in its state machine, without persistence: the status, the phase it holds on to
 * while paused, rolling back or partially rolled back (its last good phase), and batch n of N in the
 * expansion. Every command goes through {@link Transitions}; a refused command throws and changes
 * nothing. The aggregate keeps one and stores its fields.
 */
public final class Progress {

    /** A command refused from the current state. */
    public static final class IllegalTransition extends RuntimeException {

        private final transient Transitions.Command command;

        IllegalTransition(Transitions.Command command, RolloutStatus from) {
            this(command, command + " is not allowed from " + from + "; allowed from " + Transitions.allowedFrom(command));
        }

        IllegalTransition(Transitions.Command command, String message) {
            super(message);
            this.command = command;
        }

        /** The command refused; {@code null} for a change outside the table (the frozen batch plan). */
        public Transitions.Command command() {
            return command;
        }
    }

    /** What a command changed, for the timeline. */
    public record Step(Transitions.Command command, RolloutStatus from, RolloutStatus to, int batch, String reason) {
    }

    private RolloutStatus status;
    private RolloutStatus phase;
    private int batch;
    private int batches;
    private final List<Step> steps = new ArrayList<>();

    public Progress(RolloutStatus status, RolloutStatus phase, int batch, int batches) {
        this.status = status;
        this.phase = phase;
        this.batch = batch;
        this.batches = batches;
    }

    public static Progress draft(int batches) {
        return new Progress(RolloutStatus.DRAFT, null, 0, batches);
    }

    public RolloutStatus status() {
        return status;
    }

    /** The phase the rollout is in, or was in before it paused or rolled back. */
    public RolloutStatus phase() {
        return phase;
    }

    /** Batch n (1-based) of the expansion, 0 before the first. */
    public int batch() {
        return batch;
    }

    public int batches() {
        return batches;
    }

    /** The number of batches, known for sure once the batch plan is frozen (before the expansion starts). */
    public void batches(int batches) {
        if (status == RolloutStatus.EXPANSION && this.batch > 0) {
            throw new IllegalTransition(null, "the batch plan is frozen: " + this.batches + " batches");
        }
        this.batches = batches;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public Step apply(Transitions.Command command, String reason) {
        return apply(command, reason, true);
    }

    /** Applies a command; {@code full} chooses the outcome of FINISH_ROLLBACK. */
    public Step apply(Transitions.Command command, String reason, boolean full) {
        if (!Transitions.allowed(command, status)) {
            throw new IllegalTransition(command, status);
        }
        RolloutStatus from = status;
        switch (command) {
            case START -> {
                status = RolloutStatus.DEVELOPMENT;
                phase = RolloutStatus.DEVELOPMENT;
            }
            case ADVANCE -> {
                if (status == RolloutStatus.EXPANSION && batch < batches) {
                    throw new IllegalTransition(command, "ADVANCE from EXPANSION needs every batch activated; batch " + batch
                            + " of " + batches + " is");
                }
                status = Transitions.next(status);
                phase = status == RolloutStatus.COMPLETED ? phase : status;
                if (status == RolloutStatus.EXPANSION) {
                    batch = 0;
                }
            }
            case NEXT_BATCH -> {
                if (batch >= batches) {
                    throw new IllegalTransition(command, "NEXT_BATCH: batch " + batch + " of " + batches + " is the last");
                }
                batch++;
            }
            case APPROVE, PROMOTE -> {
                // recorded in the timeline; the state stays
            }
            case PAUSE, START_ROLLBACK -> status = command == Transitions.Command.PAUSE ? RolloutStatus.PAUSED
                    : RolloutStatus.ROLLING_BACK;
            case RESUME, CONTINUE, RETRY -> status = phase == null ? RolloutStatus.DEVELOPMENT : phase;
            case FINISH_ROLLBACK -> status = full ? RolloutStatus.ROLLED_BACK : RolloutStatus.PARTIALLY_ROLLED_BACK;
            case ABORT -> status = RolloutStatus.ABORTED;
        }
        Step step = new Step(command, from, status, batch, reason);
        steps.add(step);
        return step;
    }
}
