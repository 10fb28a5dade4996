package dev.rollout.metricsgate.evaluation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.metricsgate.policy.Threshold;
import dev.rollout.metricsgate.provider.Prometheus;
import dev.rollout.metricsgate.provider.PrometheusSources;

/**
 * The traffic KPIs from the rollout's Prometheus: each figure by the PromQL query configured for it, {@code {rollout}}
 * replaced by the rollout's id. Asked only for figures it has a query for.
 */
final class PrometheusTraffic implements TrafficSource {

    private final Prometheus client;
    private final PrometheusSources.Source source;
    private final UUID rolloutId;
    private final KpiPolicy policy;
    private final String name;

    PrometheusTraffic(Prometheus client, PrometheusSources.Source source, UUID rolloutId, KpiPolicy policy) {
        this.client = client;
        this.source = source;
        this.rolloutId = rolloutId;
        this.policy = policy;
        this.name = "Prometheus " + source.baseUrl();
    }

    /** Whether a query is configured for the figure. */
    boolean has(String figure) {
        return source.queries().containsKey(figure);
    }

    @Override
    public List<Measurement> errorRate() {
        List<Measurement> out = new ArrayList<>();
        Prometheus.Result requests = has("requests") ? query("requests") : null;
        out.add(rate(Kpi.ERROR_RATE_TRIGGER, "errorRate", requests, policy.get(Threshold.ERROR_RATE_ROLLBACK), true));
        if (has("availability")) {
            out.add(rate(Kpi.AVAILABILITY, "availability", requests, policy.get(Threshold.AVAILABILITY_MIN), false));
        }
        return out;
    }

    @Override
    public List<Measurement> criticalErrorRate() {
        Prometheus.Result requests = has("criticalRequests") ? query("criticalRequests") : null;
        return List.of(rate(Kpi.CRITICAL_ERROR_RATE, "criticalErrorRate", requests,
                policy.get(Threshold.CRITICAL_ERROR_RATE_MAX), true));
    }

    @Override
    public List<Measurement> latency() {
        List<Measurement> out = new ArrayList<>();
        double maxMs = policy.get(Threshold.RESPONSE_TIME_MAX_MS);
        String query = source.queries().get("latencyMs");
        Prometheus.Result latency = query("latencyMs");
        out.add(latency.ok() ? Criteria.valueBelow(Kpi.RESPONSE_TIME, name, query, latency.value(), null, maxMs,
                (long) policy.get(Threshold.MIN_SAMPLES), " ms")
                : Measurement.inconclusive(Kpi.RESPONSE_TIME, name, query, "< " + Criteria.fmt(maxMs) + " ms",
                        latency.problem()));
        if (has("baselineLatencyMs")) {
            Prometheus.Result baseline = query("baselineLatencyMs");
            out.add(Criteria.degradation(name, query + " vs " + source.queries().get("baselineLatencyMs"),
                    latency.value(), baseline.value(), policy.get(Threshold.DEGRADATION_ROLLBACK), List.of()));
        }
        return out;
    }

    private Prometheus.Result query(String figure) {
        return client.query(source.baseUrl(), source.queries().get(figure).replace("{rollout}", rolloutId.toString()),
                source.authHeader(), source.timeout() == null ? Duration.ofSeconds(5) : source.timeout(),
                PrometheusSources.aggregationOf(figure));
    }

    /** A rate: with a request count, judged on its Wilson interval; without, on its value. */
    private Measurement rate(Kpi kpi, String figure, Prometheus.Result requests, double threshold, boolean atMost) {
        Prometheus.Result rate = query(figure);
        String query = source.queries().get(figure);
        String rule = (atMost ? "<= " : ">= ") + Criteria.pct(threshold);
        double confidence = policy.get(Threshold.CONFIDENCE);
        long minSamples = (long) policy.get(Threshold.MIN_SAMPLES);
        if (!rate.ok()) {
            return new Measurement(kpi, kpi.trigger(), name, query, null, null, rule, null, null, Verdict.INCONCLUSIVE,
                    rate.problem(), List.of(), Map.of("providerError", true));
        }
        if (requests != null && requests.ok() && requests.value() >= 0) {
            long n = Math.round(requests.value());
            long events = Math.round(rate.value() * n);
            return atMost ? Criteria.rateAtMost(kpi, name, query + " (n from " + source.queries().get("requests") + ")",
                    events, n, threshold, confidence, minSamples, List.of())
                    : Criteria.rateAtLeast(kpi, name, query, events, n, threshold, confidence, minSamples, List.of());
        }
        boolean pass = atMost ? rate.value() <= threshold : rate.value() >= threshold;
        return new Measurement(kpi, kpi.trigger(), name, query, rate.value(), null, rule, null, null,
                pass ? Verdict.PASS : Verdict.FAIL, Criteria.label(kpi) + " = " + Criteria.pct(rate.value())
                        + " (no request count configured, so no confidence interval)", List.of(),
                Map.of("series", rate.series()));
    }
}
