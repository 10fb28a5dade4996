package dev.rollout.metricsgate.evaluation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.rollout.metricsgate.policy.KpiPolicy;

/**
 * One source of the gate's measurements: the CI evidence, the request traffic (the rollout's Prometheus, or the
 * samples pushed to the gate), a batch's health as cluster-batcher has it, the pilots' feedback from pilot-service,
 * the incidents, the user types. Each KPI of an evaluation is measured by exactly one provider, and a provider that
 * cannot read its source measures INCONCLUSIVE, never PASS.
 */
interface MetricProvider {

    /** What is being evaluated: a phase of a rollout, a batch of its expansion, over the evidence since {@code since}. */
    record Scope(UUID rolloutId, Phase phase, Integer batch, Instant since) {
    }

    /** Its measurements for the scope, in the order a report lists them. */
    List<Measurement> measure(Scope scope, KpiPolicy policy);
}
