package dev.rollout.phaseengine.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Random command sequences, with duplicates: only legal moves happen, and terminal states stay terminal. */
class ProgressProperties {

    @Provide
    Arbitrary<List<Transitions.Command>> commands() {
        return Arbitraries.of(Transitions.Command.values()).list().ofMaxSize(60);
    }

    @Property(tries = 3000)
    void onlyLegalTransitionsHappenAndARefusedCommandChangesNothing(@ForAll("commands") List<Transitions.Command> commands,
            @ForAll @IntRange(min = 0, max = 25) int batches, @ForAll boolean full) {
        Progress progress = Progress.draft(batches);
        for (Transitions.Command command : commands) {
            RolloutStatus before = progress.status();
            RolloutStatus phaseBefore = progress.phase();
            int batchBefore = progress.batch();
            if (Transitions.allowed(command, before)) {
                Progress.Step step = progress.apply(command, "test", full);
                assertThat(step.from()).isEqualTo(before);
                assertThat(step.to()).isEqualTo(progress.status());
            }
            else {
                assertThatThrownBy(() -> progress.apply(command, "test", full)).isInstanceOf(Progress.IllegalTransition.class);
                assertThat(progress.status()).isEqualTo(before);
                assertThat(progress.phase()).isEqualTo(phaseBefore);
                assertThat(progress.batch()).isEqualTo(batchBefore);
            }
            assertThat(progress.batch()).isBetween(0, batches);
            if (progress.status() == RolloutStatus.EXPANSION) {
                assertThat(progress.batch()).isEqualTo(batches == 0 ? 0 : Math.max(1, progress.batch()));
            }
        }
    }

    @Property(tries = 3000)
    void terminalStatesStayTerminal(@ForAll("commands") List<Transitions.Command> commands, @ForAll boolean full) {
        Progress progress = Progress.draft(3);
        RolloutStatus terminal = null;
        for (Transitions.Command command : commands) {
            if (Transitions.allowed(command, progress.status())) {
                progress.apply(command, "test", full);
            }
            if (terminal != null) {
                assertThat(progress.status()).isEqualTo(terminal);
            }
            if (progress.status().isTerminal()) {
                terminal = progress.status();
            }
        }
        for (Transitions.Command command : Transitions.Command.values()) {
            assertThat(Transitions.allowed(command, RolloutStatus.COMPLETED)).isFalse();
            assertThat(Transitions.allowed(command, RolloutStatus.ROLLED_BACK)).isFalse();
        }
    }

    @Property(tries = 500)
    void theHappyPathVisitsEveryPhaseAndEveryBatchOnce(@ForAll @IntRange(min = 1, max = 20) int batches) {
        Progress progress = Progress.draft(batches);
        progress.apply(Transitions.Command.START, "started");
        progress.apply(Transitions.Command.ADVANCE, "phase 1 passed");
        progress.apply(Transitions.Command.ADVANCE, "phase 2 passed");
        for (int n = 1; n <= batches; n++) {
            assertThat(progress.status()).isEqualTo(RolloutStatus.EXPANSION);
            assertThat(progress.batch()).isEqualTo(n);
            progress.apply(Transitions.Command.ADVANCE, "batch " + n + " passed");
        }
        assertThat(progress.status()).isEqualTo(RolloutStatus.PRODUCTION);
        progress.apply(Transitions.Command.ADVANCE, "phase 4 passed");
        assertThat(progress.status()).isEqualTo(RolloutStatus.COMPLETED);
        assertThat(progress.steps()).hasSize(batches + 4);
    }
}
