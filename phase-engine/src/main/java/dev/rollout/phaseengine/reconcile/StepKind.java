package dev.rollout.phaseengine.reconcile;

/** The steps of the reconcile loop that change another service, each done once per rollout (and batch). */
public enum StepKind {
    /**
     * Before the first gate: the plan's KPI overrides and user types (with the features each must reach in
     * Phase 4) go to metrics-gate, which judges the rollout by them.
     */
    APPLY_GATE_POLICY,
    /** Phase 1 passed: the pilots get their grants (pilot-service), the rollout enters PILOT. */
    ENTER_PILOT,
    /** Phase 2 passed: the batch plan is frozen (cluster-batcher), the rollout enters EXPANSION. */
    ENTER_EXPANSION,
    /** Batch n activated (cluster-batcher), its observation window starts. */
    ACTIVATE_BATCH,
    /** Every batch passed: the whole fleet is activated (cluster-batcher), the rollout enters PRODUCTION. */
    ENTER_PRODUCTION,
    /** Phase 4 passed: COMPLETED. */
    COMPLETE,
    /** The gate said ROLLBACK: rollback-service is asked to roll back with the verdict's scope. */
    ROLLBACK
}
