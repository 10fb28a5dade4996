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

/**
 * Random command sequences, with duplicates and restarts (the state rebuilt from what is stored, as after a
 * crash): only legal moves happen, a refused command changes nothing, terminal states stay terminal.
 */
class ProgressProperties {

    /** A command, or null for a restart. */
    @Provide
    Arbitrary<List<Transitions.Command>> commands() {
        return Arbitraries.of(Transitions.Command.values()).injectNull(0.1).list().ofMaxSize(80);
    }

    @Property(tries = 3000)
    void onlyLegalTransitionsHappenAndARefusedCommandChangesNothing(@ForAll("commands") List<Transitions.Command> commands,
            @ForAll @IntRange(min = 0, max = 25) int batches, @ForAll boolean full) {
        Progress progress = Progress.draft(batches);
        for (Transitions.Command command : commands) {
            if (command == null) {
                progress = new Progress(progress.status(), progress.phase(), progress.batch(), progress.batches());
                continue;
            }
            RolloutStatus before = progress.status();
            RolloutStatus phaseBefore = progress.phase();
            int batchBefore = progress.batch();
            boolean guarded = (command == Transitions.Command.ADVANCE && before == RolloutStatus.EXPANSION
                    && batchBefore < batches) || (command == Transitions.Command.NEXT_BATCH && batchBefore >= batches);
            if (Transitions.allowed(command, before) && !guarded) {
                Progress.Step step = progress.apply(command, "test", full);
                assertThat(step.from()).isEqualTo(before);
                assertThat(step.to()).isEqualTo(progress.status());
                if (command == Transitions.Command.APPROVE || command == Transitions.Command.PROMOTE) {
                    assertThat(progress.status()).isEqualTo(before);
                }
            }
            else {
                Progress current = progress;
                assertThatThrownBy(() -> current.apply(command, "test", full)).isInstanceOf(Progress.IllegalTransition.class);
                assertThat(progress.status()).isEqualTo(before);
                assertThat(progress.phase()).isEqualTo(phaseBefore);
                assertThat(progress.batch()).isEqualTo(batchBefore);
            }
            assertThat(progress.batch()).isBetween(0, batches);
            if (progress.status() == RolloutStatus.PRODUCTION || progress.status() == RolloutStatus.COMPLETED
                    && progress.phase() == RolloutStatus.PRODUCTION) {
                assertThat(progress.batch()).as("production comes only after every batch").isEqualTo(batches);
            }
        }
    }

    @Property(tries = 3000)
    void terminalStatesStayTerminal(@ForAll("commands") List<Transitions.Command> commands, @ForAll boolean full,
            @ForAll @IntRange(min = 0, max = 3) int batches) {
        Progress progress = Progress.draft(batches);
        RolloutStatus terminal = null;
        for (Transitions.Command command : commands) {
            if (command == null) {
                progress = new Progress(progress.status(), progress.phase(), progress.batch(), progress.batches());
            }
            else {
                try {
                    progress.apply(command, "test", full);
                }
                catch (Progress.IllegalTransition refused) {
                    // refused: nothing changed (checked above)
                }
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
        assertThat(progress.batch()).isZero();
        for (int n = 1; n <= batches; n++) {
            assertThat(progress.status()).isEqualTo(RolloutStatus.EXPANSION);
            progress.apply(Transitions.Command.NEXT_BATCH, "batch " + n);
            assertThat(progress.batch()).isEqualTo(n);
        }
        assertThatThrownBy(() -> progress.apply(Transitions.Command.NEXT_BATCH, "one too many"))
                .isInstanceOf(Progress.IllegalTransition.class);
        progress.apply(Transitions.Command.ADVANCE, "phase 3 passed");
        progress.apply(Transitions.Command.ADVANCE, "phase 4 passed");
        assertThat(progress.status()).isEqualTo(RolloutStatus.COMPLETED);
        assertThat(progress.steps()).hasSize(batches + 5);
    }
}
