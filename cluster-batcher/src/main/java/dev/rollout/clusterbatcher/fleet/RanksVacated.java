package dev.rollout.clusterbatcher.fleet;

import java.util.List;

/**
 * Ranks that agents left while a rollout's plan was open (they moved to another stratum, or were deregistered):
 * published in the writer's transaction, so that the open plans count those agents out of their batches.
 */
public record RanksVacated(List<Vacancy> vacancies) {

    /** The place an agent left. */
    public record Vacancy(String clusterId, int tzOffset, long rank) {
    }
}
