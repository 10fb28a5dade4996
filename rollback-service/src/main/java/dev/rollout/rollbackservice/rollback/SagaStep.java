package dev.rollout.rollbackservice.rollback;

import java.util.List;

/** The steps of a rollback, in order. A FULL rollback takes them all; a PARTIAL one keeps the pilots' grants. */
public enum SagaStep {
    /** phase-engine: the rollout stops where it is (ROLLING_BACK); nothing advances it any more. */
    HALT_ROLLOUT,
    /** cluster-batcher: FULL sends every activated agent back to the previous stable version; PARTIAL only the named components. */
    REVERT_AGENTS,
    /** pilot-service: FULL revokes the pilots' grants on the new version. */
    REVOKE_PILOT_GRANTS,
    /** phase-engine: the rollout is ROLLED_BACK (FULL) or PARTIALLY_ROLLED_BACK (PARTIAL). */
    FINISH_ROLLOUT;

    public static List<SagaStep> of(RollbackScope scope) {
        return scope == RollbackScope.FULL ? List.of(values()) : List.of(HALT_ROLLOUT, REVERT_AGENTS, FINISH_ROLLOUT);
    }
}
