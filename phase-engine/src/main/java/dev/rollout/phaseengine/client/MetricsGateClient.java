package dev.rollout.phaseengine.client;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rollout.starter.idempotency.IdempotencyFilter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;

/** metrics-gate: the gate's verdicts, and the policy and user types a rollout's plan sets for it. */
@HttpExchange
public interface MetricsGateClient {

    String SERVICE = "metrics-gate";

    enum Phase { DEVELOPMENT, PILOT, EXPANSION, PRODUCTION }

    enum Verdict { PASS, HOLD, ROLLBACK }

    enum Scope { FULL, PARTIAL }

    /** The evidence since {@code since} of a phase, or of one batch of the expansion. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EvaluateRequest(Phase phase, Integer batch, Instant since) {
    }

    /** A line of the rollout's evaluation history. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Evaluation(UUID id, Phase phase, Integer batch, Verdict verdict, Scope scope, List<String> components,
            List<String> reasons, Instant evaluatedAt) {
    }

    /**
     * The gate's answer to an evaluation: {@code conclusive} is false for a HOLD within the KPIs' inconclusive limit
     * (the gate measures again; a rollout waiting on it does not pause yet).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Decision(UUID id, Phase phase, Integer batch, Verdict verdict, Scope scope, List<String> components,
            List<String> reasons, Instant evaluatedAt, Boolean conclusive) {
    }

    /** An evaluation with every measurement behind its verdict: what a report shows a phase or batch was judged on. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FullEvaluation(UUID id, Phase phase, Integer batch, Verdict verdict, Scope scope, List<String> components,
            List<String> reasons, Instant evaluatedAt, List<Measurement> measurements) {

        /** The summary's figures where the full evaluation could not be read. */
        public static FullEvaluation of(Evaluation summary) {
            return new FullEvaluation(summary.id(), summary.phase(), summary.batch(), summary.verdict(), summary.scope(),
                    summary.components(), summary.reasons(), summary.evaluatedAt(), null);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Measurement(String kpi, Boolean trigger, String source, String query, Double value, Long sampleSize,
            String threshold, Double confidenceLow, Double confidenceHigh, String verdict, String reason,
            List<String> components) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Incident(UUID id, String type, String severity, String component, String description, Instant reportedAt,
            Instant resolvedAt) {
    }

    @PostExchange("/api/rollouts/{rolloutId}/evaluations")
    Decision evaluate(@PathVariable UUID rolloutId, @RequestBody EvaluateRequest request,
            @RequestHeader(IdempotencyFilter.HEADER) String key);

    /** The rollout's evaluations, newest first. */
    @GetExchange("/api/rollouts/{rolloutId}/evaluations")
    List<Evaluation> evaluations(@PathVariable UUID rolloutId);

    @GetExchange("/api/evaluations/{id}")
    FullEvaluation evaluation(@PathVariable UUID id);

    @GetExchange("/api/rollouts/{rolloutId}/incidents")
    List<Incident> incidents(@PathVariable UUID rolloutId);

    /** The plan's KPI thresholds, by threshold name (keys sorted: a repeated call sends the same bytes). */
    @PutExchange("/api/rollouts/{rolloutId}/kpi-policy")
    void applyKpiPolicy(@PathVariable UUID rolloutId, @RequestBody SortedMap<String, Double> overrides,
            @RequestHeader(IdempotencyFilter.HEADER) String key);

    /** The plan's user types: each a name and the user types of the fleet it stands for. */
    @PutExchange("/api/rollouts/{rolloutId}/user-types")
    void declareUserTypes(@PathVariable UUID rolloutId, @RequestBody SortedMap<String, List<String>> userTypes,
            @RequestHeader(IdempotencyFilter.HEADER) String key);
}
