package dev.rollout.rollbackservice.rollback;

/** Where one step of a rollback stands. */
public enum StepStatus {
    /** Not tried yet, or waiting to be tried again. */
    PENDING,
    /** Being tried by the replica that holds the rollback's lease. */
    RUNNING,
    /** Done: its effect is made, and it is not run again. */
    DONE,
    /** Failed its last allowed attempt: the rollback waits at FAILED_STEP for on-call. */
    FAILED
}
