package dev.rollout.metricsgate.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every threshold and limit of the gate, with the rollout plan's figure as its default and the range an
 * override must stay in.
 */
public enum Threshold {

    AVAILABILITY_MIN("availabilityMin", 0.999, 0.5, 1, "availability must be at least this share"),
    RESPONSE_TIME_MAX_MS("responseTimeMaxMillis", 200, 1, 60_000, "API response time must stay below this, in ms"),
    RESPONSE_TIME_PERCENTILE("responseTimePercentile", 95, 50, 99.99, "the percentile the response time is judged at"),
    CRITICAL_ERROR_RATE_MAX("criticalErrorRateMax", 0.001, 0, 1, "error rate of critical operations must stay below this"),
    AGENT_RESPONSE_RATE_MIN("agentResponseRateMin", 0.985, 0, 1, "share of activated agents that must answer"),
    SATISFACTION_MIN("satisfactionMin", 4.0, 1, 5, "mean satisfaction (1 to 5) must exceed this"),
    ERROR_RATE_ROLLBACK("errorRateRollback", 0.01, 0, 1, "trigger: an error rate above this rolls back"),
    DEGRADATION_ROLLBACK("degradationRollback", 0.20, 0, 10, "trigger: response time worse than the baseline by more than this share rolls back"),
    COVERAGE_MIN("coverageMin", 0.80, 0, 1, "Phase 1: line coverage must reach this share"),
    CRITICAL_SEVERITY("criticalSecuritySeverity", 9.0, 0, 10, "Phase 1: a finding with security-severity at or above this is critical"),
    BENCHMARK_REGRESSION_MAX("benchmarkRegressionMax", 0.20, 0, 10, "Phase 1: a benchmark worse than its baseline or budget by more than this share fails"),
    CONFIDENCE("confidence", 0.95, 0.8, 0.999, "confidence of the intervals around rates and means"),
    MIN_SAMPLES("minSamples", 100, 1, 1e12, "fewer observations than this is inconclusive"),
    MIN_FEEDBACK("minFeedback", 5, 1, 1e6, "fewer pilot ratings than this is inconclusive"),
    ONBOARDING_MIN("onboardingMin", 1.0, 0, 1, "Phase 2: share of pilots onboarded"),
    INSTABILITY_REPORTS_MAX("instabilityReportsMax", 0, 0, 1e6, "trigger: more negative reports of instability than this rolls back"),
    SUPPORT_TICKETS_WEEK_MAX("supportTicketsPerWeekMax", 25, 0, 1e9, "Phase 4: support tickets in the last 7 days within this"),
    ERROR_BUDGET("errorBudget", 0.005, 0, 1, "Phase 3: the error rate allowed across all active batches together (half the rollback trigger: a drift that no single batch shows)"),
    FAILURE_LIMIT("failureLimit", 0, 0, 100, "failed measurements of a KPI tolerated before it fails"),
    CONSECUTIVE_ERROR_LIMIT("consecutiveErrorLimit", 4, 0, 100, "provider errors in a row tolerated before the gate says so"),
    INCONCLUSIVE_LIMIT("inconclusiveLimit", 0, 0, 100, "inconclusive measurements of a KPI in a phase (or batch) tolerated"
            + " before its HOLD pauses a rollout that waits on it; within the limit the gate measures again");

    private final String key;
    private final double defaultValue;
    private final double min;
    private final double max;
    private final String meaning;

    Threshold(String key, double defaultValue, double min, double max, String meaning) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.meaning = meaning;
    }

    public String key() {
        return key;
    }

    public double defaultValue() {
        return defaultValue;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public String meaning() {
        return meaning;
    }

    public static Optional<Threshold> byKey(String key) {
        return Arrays.stream(values()).filter(t -> t.key.equals(key)).findFirst();
    }
}
