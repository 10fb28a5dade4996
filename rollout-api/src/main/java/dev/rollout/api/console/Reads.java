package dev.rollout.api.console;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the console reads from the services, as its own records: only the fields it shows. A field the services add
 * is ignored; one they rename shows as missing here, never as an error page.
 */
final class Reads {

    private Reads() {
    }

    // phase-engine

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RolloutPage(List<Rollout> items, long totalItems) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Component(String name, String version) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PhasePlan(Duration minSoak, Duration maxSoak, Boolean approval) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Plan(Map<String, PhasePlan> phases, Long batchSize, Long fleetCap, Duration observationWindow) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Condition(String type, boolean status, String reason, String message, Instant since) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record LastEvaluation(UUID id, String phase, Integer batch, String verdict, String scope, List<String> components,
            List<String> reasons, Instant evaluatedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rollout(UUID id, String name, String targetVersion, String previousStableVersion, List<Component> components,
            String status, String phase, int batch, int batches, String statusReason, Instant statusSince,
            String pauseReason, Instant phaseStartedAt, Instant batchActivatedAt, boolean approved, boolean promoted,
            List<Condition> conditions, LastEvaluation lastEvaluation, Plan plan, String createdBy, Instant createdAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TimelineEntry(Instant at, String actor, String command, String from, String to, int batch, String reason,
            String evidence) {
    }

    // cluster-batcher

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Composition(long agents, Map<String, Long> byTimeZone, int timeZones) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Activation(String state, Instant activatedAt, String activatedBy, Instant deactivatedAt, String reason) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Health(long activated, long acknowledged, double responseRate, long requests, long errors, Double errorRate,
            Double latencyMeanMs, Double latencyP95Ms, int timeZonesHeardFrom, int timeZonesInBatch,
            List<String> silentTimeZones) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Batch(int number, int of, Composition composition, Activation activation, Health health) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BatchPlan(long planned, long batchSize, int batchCount, boolean fleetActivated,
            Map<String, String> pinnedComponents, List<Batch> batches) {
    }

    // metrics-gate

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Measurement(String kpi, boolean trigger, String source, Double value, Long sampleSize, String threshold,
            Double confidenceLow, Double confidenceHigh, String verdict, String reason, List<String> components) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Evaluation(UUID id, String phase, Integer batch, String verdict, String scope, List<String> components,
            List<String> reasons, List<Measurement> measurements, String requestedBy, Instant evaluatedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EvaluationSummary(UUID id, String phase, Integer batch, String verdict, String scope, List<String> components,
            Instant evaluatedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Point(Instant at, String phase, Integer batch, Double value, Double low, Double high, String verdict) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Series(String kpi, List<String> components, String source, String threshold, Double limit, Boolean atMost,
            List<Point> points) {
    }

    // rollback-service

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Step(String name, String status, int attempts, Instant startedAt, Instant finishedAt, String error,
            String outcome) {
    }

    /** The answer to a rollback asked: the rollback that runs (this one, or the one already running). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Started(boolean started, String message, Rollback rollback) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rollback(UUID id, String scope, List<String> components, String status, String reason, String requestedBy,
            Instant requestedAt, Instant finishedAt, Long flippedAfterMs, String error, List<Step> steps) {
    }
}
