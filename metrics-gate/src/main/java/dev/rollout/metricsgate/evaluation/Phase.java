package dev.rollout.metricsgate.evaluation;

/** The four phases of the rollout plan. */
public enum Phase {
    DEVELOPMENT, PILOT, EXPANSION, PRODUCTION
}
