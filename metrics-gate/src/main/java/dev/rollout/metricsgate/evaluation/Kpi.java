package dev.rollout.metricsgate.evaluation;

/** What the gate measures. A trigger's failure rolls back; a KPI's failure holds. */
public enum Kpi {
    TESTS(false), COVERAGE(false), SECURITY_SCAN(false), BENCHMARKS(false),
    AVAILABILITY(false), RESPONSE_TIME(false), CRITICAL_ERROR_RATE(false), AGENT_RESPONSE_RATE(false),
    SATISFACTION(false), ONBOARDING(false), HEALTH_CHECKS(false), TIME_ZONES(false), DATA_INTEGRITY(false),
    ERROR_BUDGET(false), SUPPORT_VOLUME(false), USER_TYPE_FEATURES(false),
    ERROR_RATE_TRIGGER(true), DEGRADATION_TRIGGER(true), INSTABILITY_TRIGGER(true), CRITICAL_FAILURE_TRIGGER(true),
    SECURITY_VULNERABILITY_TRIGGER(true);

    private final boolean trigger;

    Kpi(boolean trigger) {
        this.trigger = trigger;
    }

    public boolean trigger() {
        return trigger;
    }
}
