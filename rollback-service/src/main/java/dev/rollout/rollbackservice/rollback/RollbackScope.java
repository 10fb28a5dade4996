package dev.rollout.rollbackservice.rollback;

/** FULL: every agent back to the previous stable version. PARTIAL: only the named components. */
public enum RollbackScope {
    FULL, PARTIAL
}
