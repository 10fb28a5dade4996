package dev.rollout.metricsgate.evaluation;

/** The gate's decision: go on, hold (with the reasons), or roll back (with a scope). */
public enum GateVerdict {
    PASS, HOLD, ROLLBACK
}
