package dev.rollout.phaseengine.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The rollout's intents, without Spring or a database: each one command of the table and what it implies. */
class RolloutIntentsTest {

    static final Instant T0 = Instant.parse("2027-01-01T00:00:00Z");

    Rollout rollout = Rollout.draft("r", "2.0.0", "1.0.0",
            List.of(new Component("planner", "2.0.0"), new Component("memory", "1.9.0")), RolloutPlan.defaults(), "ci", T0);

    Rollout inExpansion(int batches) {
        rollout.start("started", T0);
        rollout.advance("phase 1 passed", T0.plusSeconds(10));
        rollout.batchPlanFrozen(batches);
        rollout.advance("phase 2 passed", T0.plusSeconds(20));
        rollout.activateNextBatch("batch 1", T0.plusSeconds(30));
        return rollout;
    }

    @Test
    void aRefusedIntentNamesItsCommandAndChangesNothing() {
        rollout.start("started", T0);
        rollout.pause(PauseReason.MANUAL, "night", T0.plusSeconds(5));
        Instant since = rollout.statusSince();

        assertThatThrownBy(() -> rollout.pause(PauseReason.MANUAL, "again", T0.plusSeconds(9)))
                .isInstanceOfSatisfying(Progress.IllegalTransition.class,
                        refused -> assertThat(refused.command()).isEqualTo(Transitions.Command.PAUSE))
                .hasMessageContaining("PAUSE is not allowed from PAUSED");
        assertThat(rollout.status()).isEqualTo(RolloutStatus.PAUSED);
        assertThat(rollout.pauseReason()).isEqualTo(PauseReason.MANUAL);
        assertThat(rollout.statusReason()).isEqualTo("night");
        assertThat(rollout.statusSince()).isEqualTo(since);
    }

    @Test
    void aPauseKeepsItsReasonAndAResumeAfterTheMaximumSoakLetsThePhaseRunOn() {
        rollout.start("started", T0);
        rollout.pause(PauseReason.MAX_SOAK_PASSED, "maximum soak passed", T0.plus(Duration.ofDays(8)));
        assertThat(rollout.pauseReason()).isEqualTo(PauseReason.MAX_SOAK_PASSED);
        assertThat(rollout.maxSoakWaived()).isFalse();

        Progress.Step step = rollout.resume("a person looked", T0.plus(Duration.ofDays(9)));

        assertThat(step.from()).isEqualTo(RolloutStatus.PAUSED);
        assertThat(step.to()).isEqualTo(RolloutStatus.DEVELOPMENT);
        assertThat(rollout.pauseReason()).isNull();
        assertThat(rollout.maxSoakWaived()).isTrue();
        assertThat(rollout.phaseStartedAt()).as("the phase's soak is not restarted by a pause").isEqualTo(T0);
    }

    @Test
    void aPromotionImpliesTheApprovalForTheCurrentPhaseOnly() {
        rollout.start("started", T0);
        rollout.promote("hotfix", T0.plusSeconds(1));
        assertThat(rollout.promoted()).isTrue();
        assertThat(rollout.approved()).isTrue();

        rollout.advance("phase 1 passed", T0.plusSeconds(2));

        assertThat(rollout.status()).isEqualTo(RolloutStatus.PILOT);
        assertThat(rollout.promoted()).isFalse();
        assertThat(rollout.approved()).isFalse();
        assertThat(rollout.phaseStartedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void eachBatchStartsItsObservationWindowAndTheLastOneCannotBeFollowed() {
        inExpansion(2);
        assertThat(rollout.batchActivatedAt()).isEqualTo(T0.plusSeconds(30));
        assertThatThrownBy(() -> rollout.advance("too early", T0.plusSeconds(35)))
                .isInstanceOf(Progress.IllegalTransition.class).hasMessageContaining("batch 1 of 2");

        rollout.activateNextBatch("batch 2", T0.plusSeconds(40));
        assertThat(rollout.batch()).isEqualTo(2);
        assertThat(rollout.batchActivatedAt()).isEqualTo(T0.plusSeconds(40));
        assertThatThrownBy(() -> rollout.activateNextBatch("batch 3", T0.plusSeconds(45)))
                .isInstanceOf(Progress.IllegalTransition.class).hasMessageContaining("is the last");
        assertThatThrownBy(() -> rollout.batchPlanFrozen(3)).isInstanceOfSatisfying(Progress.IllegalTransition.class,
                refused -> assertThat(refused.command()).isNull());
    }

    @Test
    void afterAPartialRollbackTheFixContinuesTheBatchWithItsWindowStartedAgain() {
        inExpansion(3);
        rollout.haltForRollback("PARTIAL rollback of memory", T0.plusSeconds(50));
        assertThat(rollout.status()).isEqualTo(RolloutStatus.ROLLING_BACK);
        rollout.finishRollback(false, "PARTIAL rollback finished", T0.plusSeconds(60));
        assertThat(rollout.status()).isEqualTo(RolloutStatus.PARTIALLY_ROLLED_BACK);

        assertThatThrownBy(() -> rollout.continueWithFix(Map.of("gpu", "1.0.1"), "fix", T0.plusSeconds(65)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpu");
        assertThat(rollout.status()).as("refused: nothing changed").isEqualTo(RolloutStatus.PARTIALLY_ROLLED_BACK);

        rollout.continueWithFix(Map.of("memory", "1.9.1"), "fix re-deployed", T0.plusSeconds(70));

        assertThat(rollout.status()).isEqualTo(RolloutStatus.EXPANSION);
        assertThat(rollout.batch()).isEqualTo(1);
        assertThat(rollout.components()).extracting(c -> c.name() + "=" + c.version())
                .containsExactly("planner=2.0.0", "memory=1.9.1");
        assertThat(rollout.batchActivatedAt()).isEqualTo(T0.plusSeconds(70));
    }

    @Test
    void aFullRollbackEndsTheRolloutForGood() {
        inExpansion(2);
        rollout.haltForRollback("FULL", T0.plusSeconds(50));
        rollout.finishRollback(true, "FULL rollback finished", T0.plusSeconds(60));

        assertThat(rollout.status()).isEqualTo(RolloutStatus.ROLLED_BACK);
        assertThatThrownBy(() -> rollout.retry("again", T0.plusSeconds(70))).isInstanceOf(Progress.IllegalTransition.class);
        assertThatThrownBy(() -> rollout.abort("stop", T0.plusSeconds(70))).isInstanceOf(Progress.IllegalTransition.class);
    }
}
