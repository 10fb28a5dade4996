package dev.rollout.metricsgate.policy;

import java.math.BigDecimal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The rollout plan's KPIs and rollback triggers: the defaults of every rollout, each one overridable.
 *
 * @param availabilityMin          availability must be at least this share (0.999 = 99.9%)
 * @param responseTimeMaxMillis    API response time must stay below this (at {@code responseTimePercentile})
 * @param responseTimePercentile   the percentile the response time is judged at
 * @param criticalErrorRateMax     error rate of critical operations must stay below this (0.001 = 0.1%)
 * @param agentResponseRateMin     share of activated agents that must answer (0.985 = 98.5%)
 * @param satisfactionMin          mean user satisfaction must exceed this (of 5)
 * @param errorRateRollback        an error rate above this triggers a rollback (0.01 = 1%)
 * @param degradationRollback      a performance degradation above this against the baseline triggers a rollback (0.20 = 20%)
 */
@ConfigurationProperties("rollout.kpi")
public record KpiDefaults(BigDecimal availabilityMin, Integer responseTimeMaxMillis, Integer responseTimePercentile,
        BigDecimal criticalErrorRateMax, BigDecimal agentResponseRateMin, BigDecimal satisfactionMin,
        BigDecimal errorRateRollback, BigDecimal degradationRollback) {

    public KpiDefaults {
        availabilityMin = availabilityMin == null ? new BigDecimal("0.999") : availabilityMin;
        responseTimeMaxMillis = responseTimeMaxMillis == null ? 200 : responseTimeMaxMillis;
        responseTimePercentile = responseTimePercentile == null ? 95 : responseTimePercentile;
        criticalErrorRateMax = criticalErrorRateMax == null ? new BigDecimal("0.001") : criticalErrorRateMax;
        agentResponseRateMin = agentResponseRateMin == null ? new BigDecimal("0.985") : agentResponseRateMin;
        satisfactionMin = satisfactionMin == null ? new BigDecimal("4.0") : satisfactionMin;
        errorRateRollback = errorRateRollback == null ? new BigDecimal("0.01") : errorRateRollback;
        degradationRollback = degradationRollback == null ? new BigDecimal("0.20") : degradationRollback;
    }
}
