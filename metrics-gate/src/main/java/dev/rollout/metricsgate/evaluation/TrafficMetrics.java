package dev.rollout.metricsgate.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.metricsgate.provider.Prometheus;
import dev.rollout.metricsgate.provider.PrometheusSources;
import dev.rollout.metricsgate.provider.Samples;
import dev.rollout.starter.outbound.OutboundHttp;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The request-traffic KPIs: error rate (a trigger), availability, the critical operations' error rate, response time
 * and its degradation (a trigger). Each group of figures comes from one source, chosen here once: the rollout's
 * Prometheus where a query is configured for the group's figure, the pushed samples otherwise.
 */
@Component
class TrafficMetrics implements MetricProvider {

    private final Samples samples;
    private final PrometheusSources sources;
    private final Prometheus prometheus;

    TrafficMetrics(Samples samples, PrometheusSources sources, OutboundHttp outbound, JsonMapper json) {
        this.samples = samples;
        this.sources = sources;
        this.prometheus = new Prometheus(outbound, json);
    }

    @Override
    public List<Measurement> measure(Scope scope, KpiPolicy policy) {
        TrafficSource pushed = new SampleTraffic(samples.totals(scope.rolloutId(), scope.batch(), scope.since()), policy);
        Optional<PrometheusTraffic> configured = sources.of(scope.rolloutId())
                .map(source -> new PrometheusTraffic(prometheus, source, scope.rolloutId(), policy));
        List<Measurement> out = new ArrayList<>();
        out.addAll(from(configured, "errorRate", pushed).errorRate());
        out.addAll(from(configured, "criticalErrorRate", pushed).criticalErrorRate());
        out.addAll(from(configured, "latencyMs", pushed).latency());
        if (scope.batch() != null) {
            // a batch's response time is its agents' (cluster-batcher): traffic's counts only where it has a figure
            out.removeIf(m -> m.kpi() == Kpi.RESPONSE_TIME && m.value() == null);
        }
        return out;
    }

    private static TrafficSource from(Optional<PrometheusTraffic> prometheus, String figure, TrafficSource pushed) {
        return prometheus.filter(p -> p.has(figure)).<TrafficSource>map(p -> p).orElse(pushed);
    }
}
