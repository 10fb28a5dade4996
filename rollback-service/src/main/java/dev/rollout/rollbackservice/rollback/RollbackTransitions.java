package dev.rollout.rollbackservice.rollback;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rollback's states and its steps' as one transition table, without Spring or a database: what may happen to a
 * rollback in which state, and what it leads to. The saga asks it before it acts; the store's conditional updates
 * ({@code ... WHERE status = ...}) stay as the guards against two replicas acting at once.
 * <pre>
 * REQUESTED --claim--> RUNNING --(every step DONE) complete--> COMPLETED     RUNNING --claim (take over)--> RUNNING
 *                      RUNNING --a step gives up--> FAILED_STEP --resume--> RUNNING
 * step: PENDING --start--> RUNNING --done--> DONE
 *                          RUNNING --retry--> PENDING      RUNNING --give up--> FAILED --resume--> PENDING
 *                          RUNNING --the rollback claimed by another replica--> PENDING (run again: idempotent)
 * </pre>
 * Steps run in order: a step starts only when every step before it is DONE, and one at a time.
 */
public final class RollbackTransitions {

    /** What happens to a rollback; {@code step} is the step's position where the event is a step's. */
    public enum Event { CLAIM, START_STEP, STEP_DONE, RETRY_STEP, GIVE_UP_STEP, RESUME, COMPLETE }

    /** A rollback's state and its steps' states, in order. */
    public record State(RollbackStatus status, List<StepStatus> steps) {

        public State {
            steps = List.copyOf(steps);
        }

        /** A new rollback of {@code steps} steps. */
        public static State requested(int steps) {
            return new State(RollbackStatus.REQUESTED, Collections.nCopies(steps, StepStatus.PENDING));
        }

        /** The step to run next: the first that is not DONE, or -1 when all are. */
        public int next() {
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i) != StepStatus.DONE) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** An event that the rollback's state does not allow: the caller answers 409, or leaves the rollback alone. */
    public static final class Illegal extends RuntimeException {

        Illegal(State state, Event event, int step) {
            super("A rollback " + state.status() + " with steps " + state.steps() + " cannot take " + event
                    + (step >= 0 ? " of step " + step : ""));
        }
    }

    private RollbackTransitions() {
    }

    /** Whether {@code event} (of the step at {@code step}, where it is a step's) may happen now. */
    public static boolean allowed(State state, Event event, int step) {
        RollbackStatus status = state.status();
        return switch (event) {
            case CLAIM -> status == RollbackStatus.REQUESTED || status == RollbackStatus.RUNNING;
            case START_STEP -> status == RollbackStatus.RUNNING && inRange(state, step) && step == state.next()
                    && state.steps().get(step) == StepStatus.PENDING;
            case STEP_DONE, RETRY_STEP, GIVE_UP_STEP -> status == RollbackStatus.RUNNING && inRange(state, step)
                    && state.steps().get(step) == StepStatus.RUNNING;
            case RESUME -> status == RollbackStatus.FAILED_STEP;
            case COMPLETE -> status == RollbackStatus.RUNNING && state.next() < 0;
        };
    }

    /** The state after {@code event}; {@link Illegal} where it may not happen. */
    public static State apply(State state, Event event, int step) {
        if (!allowed(state, event, step)) {
            throw new Illegal(state, event, step);
        }
        List<StepStatus> steps = new ArrayList<>(state.steps());
        RollbackStatus status = state.status();
        switch (event) {
            case CLAIM -> { // a replica takes the rollback over: the step its holder left RUNNING is run again
                steps.replaceAll(s -> s == StepStatus.RUNNING ? StepStatus.PENDING : s);
                status = RollbackStatus.RUNNING;
            }
            case START_STEP -> steps.set(step, StepStatus.RUNNING);
            case STEP_DONE -> steps.set(step, StepStatus.DONE);
            case RETRY_STEP -> steps.set(step, StepStatus.PENDING);
            case GIVE_UP_STEP -> {
                steps.set(step, StepStatus.FAILED);
                status = RollbackStatus.FAILED_STEP;
            }
            case RESUME -> {
                steps.replaceAll(s -> s == StepStatus.FAILED ? StepStatus.PENDING : s);
                status = RollbackStatus.RUNNING;
            }
            case COMPLETE -> status = RollbackStatus.COMPLETED;
        }
        return new State(status, steps);
    }

    private static boolean inRange(State state, int step) {
        return step >= 0 && step < state.steps().size();
    }
}
