package dev.rollout.rollbackservice.rollback;

/** Where a rollback's execution stands. */
public enum RollbackStatus {
    REQUESTED, RUNNING, FAILED_STEP, COMPLETED
}
