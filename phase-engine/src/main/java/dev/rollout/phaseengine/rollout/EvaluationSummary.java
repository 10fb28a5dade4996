package dev.rollout.phaseengine.rollout;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The gate's last verdict on this rollout, with the link to every measurement behind it. */
public record EvaluationSummary(UUID id, String phase, Integer batch, String verdict, String scope,
        List<String> components, List<String> reasons, Instant evaluatedAt, String link) {
}
