package dev.rollout.phaseengine.rollout;

/** Where a rollout stands. The phases are DEVELOPMENT (1), PILOT (2), EXPANSION (3) and PRODUCTION (4). */
public enum RolloutStatus {
    DRAFT, DEVELOPMENT, PILOT, EXPANSION, PRODUCTION, COMPLETED, PAUSED, ROLLING_BACK, ROLLED_BACK,
    PARTIALLY_ROLLED_BACK, ABORTED;

    public boolean isTerminal() {
        return this == COMPLETED || this == ROLLED_BACK || this == ABORTED;
    }
}
