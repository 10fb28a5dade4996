package dev.rollout.phaseengine.rollout;

/** Why a rollout is PAUSED. */
public enum PauseReason {
    /** A release manager paused it. */
    MANUAL,
    /** The gate answered HOLD when the rollout was ready to go on: evidence missing, thin or borderline. */
    INCONCLUSIVE_GATE,
    /** A service it depends on did not answer for longer than the plan allows. */
    DEPENDENCY_DOWN,
    /** The phase's maximum soak passed without a PASS (and the approval, where one is needed). */
    MAX_SOAK_PASSED
}
