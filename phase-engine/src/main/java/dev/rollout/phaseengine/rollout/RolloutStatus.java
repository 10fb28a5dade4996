package dev.rollout.phaseengine.rollout;

import java.util.EnumSet;
import java.util.Set;

/** Where a rollout stands. The phases are DEVELOPMENT (1), PILOT (2), EXPANSION (3) and PRODUCTION (4). */
public enum RolloutStatus {
    DRAFT, DEVELOPMENT, PILOT, EXPANSION, PRODUCTION, COMPLETED, PAUSED, ROLLING_BACK, ROLLED_BACK,
    PARTIALLY_ROLLED_BACK, ABORTED;

    /** The four phases, in order. */
    public static final Set<RolloutStatus> PHASES = EnumSet.of(DEVELOPMENT, PILOT, EXPANSION, PRODUCTION);

    /** Nothing leaves a terminal state. */
    public boolean isTerminal() {
        return this == COMPLETED || this == ROLLED_BACK;
    }

    public boolean isPhase() {
        return PHASES.contains(this);
    }
}
