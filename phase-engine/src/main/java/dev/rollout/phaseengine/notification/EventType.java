package dev.rollout.phaseengine.notification;

import java.util.ArrayList;
import java.util.List;

import dev.rollout.phaseengine.rollout.PauseReason;
import dev.rollout.phaseengine.rollout.Progress;
import dev.rollout.phaseengine.rollout.RolloutStatus;
import dev.rollout.phaseengine.rollout.Transitions.Command;

/** What subscribers hear about, derived from each transition of a rollout (and the scheduled reports). */
public enum EventType {
    ROLLOUT_ANNOUNCED, PHASE_STARTED, PHASE_COMPLETED, BATCH_ACTIVATED, GATE_HELD, ROLLOUT_PAUSED, ROLLOUT_RESUMED,
    ROLLBACK_STARTED, ROLLBACK_FINISHED, FEATURE_AVAILABLE, ROLLOUT_COMPLETED, ROLLOUT_ABORTED, DAILY_STANDUP,
    WEEKLY_UPDATE;

    /** The incidents: delivered before anything else waiting for the same subscriber. */
    public boolean incident() {
        return this == ROLLBACK_STARTED || this == ROLLBACK_FINISHED || this == GATE_HELD;
    }

    static List<EventType> of(Progress.Step step, PauseReason pause) {
        List<EventType> out = new ArrayList<>();
        Command command = step.command();
        switch (command) {
            case START -> {
                out.add(ROLLOUT_ANNOUNCED);
                out.add(PHASE_STARTED);
            }
            case ADVANCE -> {
                out.add(PHASE_COMPLETED);
                if (step.to() == RolloutStatus.COMPLETED) {
                    out.add(ROLLOUT_COMPLETED);
                }
                else {
                    out.add(PHASE_STARTED);
                    if (step.to() == RolloutStatus.PRODUCTION) {
                        out.add(FEATURE_AVAILABLE);
                    }
                }
            }
            case NEXT_BATCH -> out.add(BATCH_ACTIVATED);
            case PAUSE -> out.add(pause == PauseReason.INCONCLUSIVE_GATE || pause == PauseReason.MAX_SOAK_PASSED ? GATE_HELD
                    : ROLLOUT_PAUSED);
            case RESUME, RETRY, CONTINUE -> out.add(ROLLOUT_RESUMED);
            case START_ROLLBACK -> out.add(ROLLBACK_STARTED);
            case FINISH_ROLLBACK -> out.add(ROLLBACK_FINISHED);
            case ABORT -> out.add(ROLLOUT_ABORTED);
            case APPROVE, PROMOTE -> {
            }
        }
        return out;
    }
}
