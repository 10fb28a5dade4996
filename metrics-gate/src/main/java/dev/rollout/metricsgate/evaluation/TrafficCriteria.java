package dev.rollout.metricsgate.evaluation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.metricsgate.policy.Threshold;
import dev.rollout.metricsgate.provider.Prometheus;
import dev.rollout.metricsgate.provider.PrometheusSources;
import dev.rollout.metricsgate.provider.Samples;

/**
 * The live KPIs and triggers from request traffic: error rate (trigger), availability, response time,
 * critical-operation error rate and degradation against the baseline (trigger). Prometheus answers where
 * it is configured for a figure; pushed samples otherwise; neither is INCONCLUSIVE.
 */
final class TrafficCriteria {

    private TrafficCriteria() {
    }

    static List<Measurement> measure(UUID rolloutId, Samples.Totals samples, Optional<PrometheusSources.Source> prometheus,
            Prometheus client, KpiPolicy policy) {
        double confidence = policy.get(Threshold.CONFIDENCE);
        long minSamples = (long) policy.get(Threshold.MIN_SAMPLES);
        List<Measurement> out = new ArrayList<>();
        if (prometheus.isPresent() && prometheus.get().queries().containsKey("errorRate")) {
            PrometheusSources.Source p = prometheus.get();
            Prometheus.Result rate = query(client, p, "errorRate", rolloutId);
            Prometheus.Result requests = p.queries().containsKey("requests") ? query(client, p, "requests", rolloutId) : null;
            out.add(fromPrometheus(Kpi.ERROR_RATE_TRIGGER, p, "errorRate", rate, requests, policy.get(Threshold.ERROR_RATE_ROLLBACK),
                    true, confidence, minSamples));
            if (p.queries().containsKey("availability")) {
                Prometheus.Result availability = query(client, p, "availability", rolloutId);
                out.add(fromPrometheus(Kpi.AVAILABILITY, p, "availability", availability, requests,
                        policy.get(Threshold.AVAILABILITY_MIN), false, confidence, minSamples));
            }
        }
        else {
            Long requests = samples.requests().get(Samples.Totals.ALL);
            Long errors = samples.errors().getOrDefault(Samples.Totals.ALL, requests == null ? null : 0L);
            out.add(Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, "pushed samples", "ERRORS / REQUESTS, all components",
                    errors, requests, policy.get(Threshold.ERROR_RATE_ROLLBACK), confidence, minSamples, List.of()));
            for (Map.Entry<String, Long> component : samples.requests().entrySet()) {
                if (!component.getKey().equals(Samples.Totals.ALL)) {
                    out.add(Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, "pushed samples", "ERRORS / REQUESTS of "
                            + component.getKey(), samples.errors().getOrDefault(component.getKey(), 0L), component.getValue(),
                            policy.get(Threshold.ERROR_RATE_ROLLBACK), confidence, minSamples, List.of(component.getKey())));
                }
            }
            out.add(requests == null ? Measurement.inconclusive(Kpi.AVAILABILITY, "pushed samples", "1 - ERRORS / REQUESTS",
                    ">= " + Criteria.pct(policy.get(Threshold.AVAILABILITY_MIN)), "no request samples")
                    : Criteria.rateAtLeast(Kpi.AVAILABILITY, "pushed samples", "1 - ERRORS / REQUESTS", requests - errors,
                            requests, policy.get(Threshold.AVAILABILITY_MIN), confidence, minSamples, List.of()));
        }
        // critical operations
        if (prometheus.isPresent() && prometheus.get().queries().containsKey("criticalErrorRate")) {
            PrometheusSources.Source p = prometheus.get();
            Prometheus.Result requests = p.queries().containsKey("criticalRequests")
                    ? query(client, p, "criticalRequests", rolloutId) : null;
            out.add(fromPrometheus(Kpi.CRITICAL_ERROR_RATE, p, "criticalErrorRate", query(client, p, "criticalErrorRate",
                    rolloutId), requests, policy.get(Threshold.CRITICAL_ERROR_RATE_MAX), true, confidence, minSamples));
        }
        else {
            out.add(samples.criticalRequests() == 0
                    ? Measurement.inconclusive(Kpi.CRITICAL_ERROR_RATE, "pushed samples", "CRITICAL_ERRORS / CRITICAL_REQUESTS",
                            "< " + Criteria.pct(policy.get(Threshold.CRITICAL_ERROR_RATE_MAX)), "no samples of critical operations")
                    : Criteria.rateAtMost(Kpi.CRITICAL_ERROR_RATE, "pushed samples", "CRITICAL_ERRORS / CRITICAL_REQUESTS",
                            samples.criticalErrors(), samples.criticalRequests(), policy.get(Threshold.CRITICAL_ERROR_RATE_MAX),
                            confidence, minSamples, List.of()));
        }
        // response time and degradation
        double maxMs = policy.get(Threshold.RESPONSE_TIME_MAX_MS);
        String percentile = "p" + Criteria.fmt(policy.get(Threshold.RESPONSE_TIME_PERCENTILE));
        if (prometheus.isPresent() && prometheus.get().queries().containsKey("latencyMs")) {
            PrometheusSources.Source p = prometheus.get();
            Prometheus.Result latency = query(client, p, "latencyMs", rolloutId);
            out.add(latency.ok() ? Criteria.valueBelow(Kpi.RESPONSE_TIME, "Prometheus " + p.baseUrl(), p.queries().get("latencyMs"),
                    latency.value(), null, maxMs, minSamples, " ms")
                    : Measurement.inconclusive(Kpi.RESPONSE_TIME, "Prometheus " + p.baseUrl(), p.queries().get("latencyMs"),
                            "< " + Criteria.fmt(maxMs) + " ms", latency.problem()));
            if (p.queries().containsKey("baselineLatencyMs")) {
                Prometheus.Result baseline = query(client, p, "baselineLatencyMs", rolloutId);
                out.add(Criteria.degradation("Prometheus " + p.baseUrl(), p.queries().get("latencyMs") + " vs "
                        + p.queries().get("baselineLatencyMs"), latency.value(), baseline.value(),
                        policy.get(Threshold.DEGRADATION_ROLLBACK), List.of()));
            }
        }
        else {
            out.add(Criteria.valueBelow(Kpi.RESPONSE_TIME, "pushed samples", percentile + " LATENCY_MS, weighted by requests",
                    samples.latency(Samples.Totals.ALL, false), samples.latencyCount(Samples.Totals.ALL), maxMs, minSamples, " ms"));
            List<String> components = samples.latency().keySet().stream().filter(c -> !c.equals(Samples.Totals.ALL)).toList();
            if (components.isEmpty()) {
                out.add(Criteria.degradation("pushed samples", percentile + " LATENCY_MS, CANARY vs BASELINE",
                        samples.latency(Samples.Totals.ALL, false), samples.latency(Samples.Totals.ALL, true),
                        policy.get(Threshold.DEGRADATION_ROLLBACK), List.of()));
            }
            for (String component : components) {
                out.add(Criteria.degradation("pushed samples", percentile + " LATENCY_MS of " + component
                        + ", CANARY vs BASELINE", samples.latency(component, false), samples.latency(component, true),
                        policy.get(Threshold.DEGRADATION_ROLLBACK), List.of(component)));
            }
        }
        return out;
    }

    private static Prometheus.Result query(Prometheus client, PrometheusSources.Source p, String figure, UUID rolloutId) {
        return client.query(p.baseUrl(), p.queries().get(figure).replace("{rollout}", rolloutId.toString()), p.authHeader(),
                p.timeout() == null ? Duration.ofSeconds(5) : p.timeout(), PrometheusSources.aggregationOf(figure));
    }

    /** A rate from Prometheus: with a request count, judged on its Wilson interval; without, on its value. */
    private static Measurement fromPrometheus(Kpi kpi, PrometheusSources.Source p, String figure, Prometheus.Result rate,
            Prometheus.Result requests, double threshold, boolean atMost, double confidence, long minSamples) {
        String source = "Prometheus " + p.baseUrl();
        String query = p.queries().get(figure);
        String rule = (atMost ? "<= " : ">= ") + Criteria.pct(threshold);
        if (!rate.ok()) {
            return new Measurement(kpi, kpi.trigger(), source, query, null, null, rule, null, null, Verdict.INCONCLUSIVE,
                    rate.problem(), List.of(), Map.of("providerError", true));
        }
        if (requests != null && requests.ok() && requests.value() >= 0) {
            long n = Math.round(requests.value());
            long events = Math.round(rate.value() * n);
            return atMost ? Criteria.rateAtMost(kpi, source, query + " (n from " + p.queries().get("requests") + ")",
                    events, n, threshold, confidence, minSamples, List.of())
                    : Criteria.rateAtLeast(kpi, source, query, events, n, threshold, confidence, minSamples, List.of());
        }
        boolean pass = atMost ? rate.value() <= threshold : rate.value() >= threshold;
        return new Measurement(kpi, kpi.trigger(), source, query, rate.value(), null, rule, null, null,
                pass ? Verdict.PASS : Verdict.FAIL, Criteria.label(kpi) + " = " + Criteria.pct(rate.value())
                        + " (no request count configured, so no confidence interval)", List.of(), Map.of("series", rate.series()));
    }
}
