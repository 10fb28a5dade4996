package dev.rollout.metricsgate.evaluation;

/** The verdict of one KPI measurement. Missing, thin or erroneous data is INCONCLUSIVE, never PASS. */
public enum Verdict {
    PASS, FAIL, INCONCLUSIVE
}
