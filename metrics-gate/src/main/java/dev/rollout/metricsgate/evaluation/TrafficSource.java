package dev.rollout.metricsgate.evaluation;

import java.util.List;

/**
 * Where the request-traffic KPIs of one evaluation come from: the rollout's Prometheus or the pushed samples. Each of
 * the three groups of figures is asked of one source ({@link TrafficMetrics} chooses which).
 */
interface TrafficSource {

    /** The error rate (a trigger), by component where the source has them, and availability. */
    List<Measurement> errorRate();

    /** The error rate of the critical operations. */
    List<Measurement> criticalErrorRate();

    /** The response time, and its degradation against the baseline (a trigger). */
    List<Measurement> latency();
}
