package dev.rollout.rollbackservice.rollback;

/** Where a rollback's execution stands. */
public enum RollbackStatus {
    /** Accepted; its first step has not run yet. */
    REQUESTED,
    /** Its steps are running (or waiting to retry one). */
    RUNNING,
    /** A step kept failing: the rollback waits for on-call to resume it. */
    FAILED_STEP,
    /** Every step done. */
    COMPLETED;

    public boolean active() {
        return this != COMPLETED;
    }
}
