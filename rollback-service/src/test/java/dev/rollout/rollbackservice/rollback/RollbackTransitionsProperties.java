package dev.rollout.rollbackservice.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.rollout.rollbackservice.rollback.RollbackTransitions.Event;
import dev.rollout.rollbackservice.rollback.RollbackTransitions.State;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The rollback's transition table, without Spring: random sequences of events, legal or not, never bring a rollback
 * or its steps into a state the saga could not be in; an event refused leaves the state as it was.
 */
class RollbackTransitionsProperties {

    record Attempt(Event event, int step) {
    }

    @Provide
    Arbitrary<List<Attempt>> histories() {
        return Combinators.combine(Arbitraries.of(Event.class), Arbitraries.integers().between(-1, 4)).as(Attempt::new)
                .list().ofMaxSize(60);
    }

    @Property(tries = 2000)
    void noSequenceOfEventsReachesAnIllegalState(@ForAll("histories") List<Attempt> history,
            @ForAll @IntRange(min = 1, max = 4) int steps) {
        State state = State.requested(steps);
        for (Attempt attempt : history) {
            if (RollbackTransitions.allowed(state, attempt.event(), attempt.step())) {
                State before = state;
                state = RollbackTransitions.apply(state, attempt.event(), attempt.step());
                assertThat(before.status()).as("nothing leaves COMPLETED").isNotEqualTo(RollbackStatus.COMPLETED);
            }
            else {
                State refused = state;
                assertThatThrownBy(() -> RollbackTransitions.apply(refused, attempt.event(), attempt.step()))
                        .isInstanceOf(RollbackTransitions.Illegal.class).hasMessageContaining(attempt.event().name());
            }
            assertLegal(state);
        }
    }

    @Property(tries = 500)
    void aRollbackWhoseStepGivesUpWaitsForOnCallAndCompletesOnceResumed(@ForAll @IntRange(min = 1, max = 4) int steps,
            @ForAll @IntRange(min = 0, max = 3) int failing) {
        State state = RollbackTransitions.apply(State.requested(steps), Event.CLAIM, -1);
        int giveUpAt = failing % steps;
        boolean gaveUp = false;
        for (int i = state.next(); i >= 0; i = state.next()) {
            state = RollbackTransitions.apply(state, Event.START_STEP, i);
            if (i == giveUpAt && !gaveUp) {
                gaveUp = true;
                state = RollbackTransitions.apply(state, Event.GIVE_UP_STEP, i);
                assertThat(state.status()).isEqualTo(RollbackStatus.FAILED_STEP);
                assertThat(RollbackTransitions.allowed(state, Event.START_STEP, i)).as("waits for on-call").isFalse();
                assertThat(RollbackTransitions.allowed(state, Event.COMPLETE, -1)).isFalse();
                state = RollbackTransitions.apply(RollbackTransitions.apply(state, Event.RESUME, -1), Event.START_STEP, i);
            }
            state = RollbackTransitions.apply(state, Event.STEP_DONE, i);
        }
        state = RollbackTransitions.apply(state, Event.COMPLETE, -1);
        assertThat(state.status()).isEqualTo(RollbackStatus.COMPLETED);
        assertThat(state.steps()).containsOnly(StepStatus.DONE);
        for (Event event : Event.values()) {
            assertThat(RollbackTransitions.allowed(state, event, 0)).as("COMPLETED takes no " + event).isFalse();
        }
    }

    @Example
    void aStepLeftRunningByACrashedReplicaIsRunAgainByTheOneThatTakesTheRollbackOver() {
        State left = RollbackTransitions.apply(RollbackTransitions.apply(State.requested(3), Event.CLAIM, -1),
                Event.START_STEP, 0);
        assertThat(RollbackTransitions.allowed(left, Event.START_STEP, 0)).isFalse();
        State taken = RollbackTransitions.apply(left, Event.CLAIM, -1);
        assertThat(taken.steps()).containsExactly(StepStatus.PENDING, StepStatus.PENDING, StepStatus.PENDING);
        assertThat(RollbackTransitions.allowed(taken, Event.START_STEP, 0)).isTrue();
        assertThat(RollbackTransitions.allowed(taken, Event.START_STEP, 1)).as("steps run in order").isFalse();
        assertThat(RollbackTransitions.allowed(taken, Event.COMPLETE, -1)).as("not before its steps").isFalse();
    }

    /** What the saga relies on, whatever happened before. */
    private static void assertLegal(State state) {
        List<StepStatus> steps = state.steps();
        long running = steps.stream().filter(s -> s == StepStatus.RUNNING).count();
        long failed = steps.stream().filter(s -> s == StepStatus.FAILED).count();
        assertThat(running + failed).as("one step at a time: " + state).isLessThanOrEqualTo(1);
        int next = state.next();
        if (next >= 0) {
            assertThat(steps.subList(0, next)).as("the steps before the next are done: " + state)
                    .allMatch(s -> s == StepStatus.DONE);
            assertThat(steps.subList(next + 1, steps.size())).as("the steps after it wait: " + state)
                    .allMatch(s -> s == StepStatus.PENDING);
        }
        assertThat(state.status() == RollbackStatus.FAILED_STEP).as("FAILED_STEP exactly when a step failed: " + state)
                .isEqualTo(failed == 1);
        if (state.status() == RollbackStatus.COMPLETED) {
            assertThat(steps).as("completed: every step done").containsOnly(StepStatus.DONE);
        }
        if (state.status() == RollbackStatus.REQUESTED) {
            assertThat(steps).as("nothing runs before a replica claims it").containsOnly(StepStatus.PENDING);
        }
    }
}
