package dev.rollout.phaseengine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.rollout.phaseengine.rollout.Component;
import dev.rollout.phaseengine.rollout.PauseReason;
import dev.rollout.phaseengine.rollout.Progress;
import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.phaseengine.rollout.RolloutPlan;
import dev.rollout.phaseengine.rollout.RolloutStatus;
import dev.rollout.phaseengine.rollout.Transitions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * What the reconcile loop reads from a rollout, over random command sequences and clock moves: reading it
 * twice with nothing new gives the same answer and writes nothing; a rollout is never ready before its
 * minimum soak (unless promoted) or without the approval its plan asks for.
 */
class PositionProperties {

    static final Instant START = Instant.parse("2027-01-01T00:00:00Z");

    @Provide
    Arbitrary<List<Transitions.Command>> commands() {
        return Arbitraries.of(Transitions.Command.START, Transitions.Command.ADVANCE, Transitions.Command.NEXT_BATCH,
                Transitions.Command.APPROVE, Transitions.Command.PROMOTE, Transitions.Command.PAUSE,
                Transitions.Command.RESUME).list().ofMaxSize(40);
    }

    static void take(Rollout rollout, Transitions.Command command, Instant now) {
        switch (command) {
            case START -> rollout.start("test", now);
            case ADVANCE -> rollout.advance("test", now);
            case NEXT_BATCH -> rollout.activateNextBatch("test", now);
            case APPROVE -> rollout.approve("test", now);
            case PROMOTE -> rollout.promote("test", now);
            case PAUSE -> rollout.pause(PauseReason.MANUAL, "test", now);
            case RESUME -> rollout.resume("test", now);
            default -> throw new IllegalArgumentException(command.name());
        }
    }

    @Property(tries = 1000)
    void aSecondReadWithNothingNewChangesNothingAndReadinessFollowsThePlan(
            @ForAll("commands") List<Transitions.Command> commands, @ForAll @IntRange(min = 0, max = 400) int hoursStep,
            @ForAll @IntRange(min = 1, max = 4) int batches) {
        Rollout rollout = Rollout.draft("r", "2.0.0", "1.0.0", List.of(new Component("planner", "2.0.0")),
                RolloutPlan.defaults(), "test", START);
        Instant now = START;
        for (Transitions.Command command : commands) {
            now = now.plus(Duration.ofHours(hoursStep));
            try {
                if (command == Transitions.Command.ADVANCE && rollout.status() == RolloutStatus.PILOT) {
                    rollout.batchPlanFrozen(batches);
                }
                take(rollout, command, now);
            }
            catch (Progress.IllegalTransition refused) {
                continue;
            }
            if (!rollout.status().isPhase() || (rollout.status() == RolloutStatus.EXPANSION && rollout.batch() == 0)) {
                continue;
            }
            Position first = Position.of(rollout, now);
            Position second = Position.of(rollout, now);
            assertThat(second.ready()).isEqualTo(first.ready());
            rollout.conditions(first.conditions());
            assertThat(rollout.conditions(second.conditions())).as("nothing new, nothing written").isFalse();

            RolloutPlan.PhasePlan plan = rollout.plan().phases().get(rollout.phase());
            boolean lastStep = rollout.status() != RolloutStatus.EXPANSION || rollout.batch() >= rollout.batches();
            if (first.ready() && lastStep && !rollout.promoted()) {
                assertThat(now).isAfterOrEqualTo(rollout.phaseStartedAt().plus(plan.minSoak()));
                if (plan.approval()) {
                    assertThat(rollout.approved()).isTrue();
                }
            }
        }
    }
}
