package dev.rollout.phaseengine.rollout;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.rollout.phaseengine.client.MetricsGateClient.Scope;
import dev.rollout.phaseengine.client.MetricsGateClient.Verdict;

/** The gate's last verdict on this rollout, with the link to every measurement behind it. */
public record EvaluationSummary(UUID id, String phase, Integer batch, Verdict verdict, Scope scope,
        List<String> components, List<String> reasons, Instant evaluatedAt, String link) {
}
