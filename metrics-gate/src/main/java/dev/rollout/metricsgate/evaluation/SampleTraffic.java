package dev.rollout.metricsgate.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.metricsgate.policy.Threshold;
import dev.rollout.metricsgate.provider.Samples;

/** The traffic KPIs from the samples pushed to the gate (totals since the evaluation's start). */
final class SampleTraffic implements TrafficSource {

    private static final String SOURCE = "pushed samples";

    private final Samples.Totals samples;
    private final KpiPolicy policy;
    private final double confidence;
    private final long minSamples;

    SampleTraffic(Samples.Totals samples, KpiPolicy policy) {
        this.samples = samples;
        this.policy = policy;
        this.confidence = policy.get(Threshold.CONFIDENCE);
        this.minSamples = (long) policy.get(Threshold.MIN_SAMPLES);
    }

    @Override
    public List<Measurement> errorRate() {
        List<Measurement> out = new ArrayList<>();
        double max = policy.get(Threshold.ERROR_RATE_ROLLBACK);
        Long requests = samples.requests().get(Samples.Totals.ALL);
        Long errors = samples.errors().getOrDefault(Samples.Totals.ALL, requests == null ? null : 0L);
        out.add(Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, SOURCE, "ERRORS / REQUESTS, all components", errors, requests,
                max, confidence, minSamples, List.of()));
        for (Map.Entry<String, Long> component : samples.requests().entrySet()) {
            if (!component.getKey().equals(Samples.Totals.ALL)) {
                out.add(Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, SOURCE, "ERRORS / REQUESTS of " + component.getKey(),
                        samples.errors().getOrDefault(component.getKey(), 0L), component.getValue(), max, confidence,
                        minSamples, List.of(component.getKey())));
            }
        }
        double min = policy.get(Threshold.AVAILABILITY_MIN);
        out.add(requests == null
                ? Measurement.inconclusive(Kpi.AVAILABILITY, SOURCE, "1 - ERRORS / REQUESTS", ">= " + Criteria.pct(min),
                        "no request samples")
                : Criteria.rateAtLeast(Kpi.AVAILABILITY, SOURCE, "1 - ERRORS / REQUESTS", requests - errors, requests, min,
                        confidence, minSamples, List.of()));
        return out;
    }

    @Override
    public List<Measurement> criticalErrorRate() {
        double max = policy.get(Threshold.CRITICAL_ERROR_RATE_MAX);
        String query = "CRITICAL_ERRORS / CRITICAL_REQUESTS";
        return List.of(samples.criticalRequests() == 0
                ? Measurement.inconclusive(Kpi.CRITICAL_ERROR_RATE, SOURCE, query, "< " + Criteria.pct(max),
                        "no samples of critical operations")
                : Criteria.rateAtMost(Kpi.CRITICAL_ERROR_RATE, SOURCE, query, samples.criticalErrors(),
                        samples.criticalRequests(), max, confidence, minSamples, List.of()));
    }

    @Override
    public List<Measurement> latency() {
        List<Measurement> out = new ArrayList<>();
        String percentile = "p" + Criteria.fmt(policy.get(Threshold.RESPONSE_TIME_PERCENTILE));
        double degradation = policy.get(Threshold.DEGRADATION_ROLLBACK);
        out.add(Criteria.valueBelow(Kpi.RESPONSE_TIME, SOURCE, percentile + " LATENCY_MS, weighted by requests",
                samples.latency(Samples.Totals.ALL, false), samples.latencyCount(Samples.Totals.ALL),
                policy.get(Threshold.RESPONSE_TIME_MAX_MS), minSamples, " ms"));
        List<String> components = samples.latency().keySet().stream().filter(c -> !c.equals(Samples.Totals.ALL)).toList();
        if (components.isEmpty()) {
            out.add(Criteria.degradation(SOURCE, percentile + " LATENCY_MS, CANARY vs BASELINE",
                    samples.latency(Samples.Totals.ALL, false), samples.latency(Samples.Totals.ALL, true), degradation,
                    List.of()));
        }
        for (String component : components) {
            out.add(Criteria.degradation(SOURCE, percentile + " LATENCY_MS of " + component + ", CANARY vs BASELINE",
                    samples.latency(component, false), samples.latency(component, true), degradation,
                    List.of(component)));
        }
        return out;
    }
}
