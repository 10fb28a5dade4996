package dev.rollout.metricsgate.provider;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Metric samples pushed by systems without Prometheus: request and error counts (all, and critical
 * operations), and latency at the policy's percentile; for the new version (CANARY) or the previous
 * stable one (BASELINE), per batch and per component where known.
 */
@Service
public class Samples {

    public enum Metric { REQUESTS, ERRORS, CRITICAL_REQUESTS, CRITICAL_ERRORS, LATENCY_MS }

    public enum Variant { CANARY, BASELINE }

    public record Sample(Metric metric, Variant variant, Integer batch, String component, double value, long count,
            Instant observedAt) {
    }

    /** Sums and weighted latencies of a window, overall and per component. */
    public record Totals(long samples, Map<String, Long> requests, Map<String, Long> errors, long criticalRequests,
            long criticalErrors, Map<String, double[]> latency, Map<String, double[]> baselineLatency) {

        public static final String ALL = "*";

        public Double latency(String component, boolean baseline) {
            double[] l = (baseline ? baselineLatency : latency).get(component);
            return l == null || l[1] == 0 ? null : l[0] / l[1];
        }

        public Long latencyCount(String component) {
            double[] l = latency.get(component);
            return l == null ? null : (long) l[1];
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    Samples(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public int push(UUID rolloutId, List<Sample> samples) {
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> rows = new ArrayList<>();
        for (Sample s : samples) {
            rows.add(new Object[] { rolloutId, s.metric().name(), s.variant().name(), s.batch(), s.component(), s.value(),
                    s.count(), s.observedAt() == null ? now : Timestamp.from(s.observedAt()) });
        }
        jdbc.batchUpdate("INSERT INTO metric_sample (rollout_id, metric, variant, batch, component, sample_value, sample_count,"
                + " observed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows);
        return rows.size();
    }

    /**
     * The samples observed since {@code since}, of one batch when {@code batch} is set (a batch observed again
     * after a fix is judged on what came after it, not on the fault that rolled it back).
     */
    @Transactional(readOnly = true)
    public Totals totals(UUID rolloutId, Integer batch, Instant since) {
        Map<String, Long> requests = new LinkedHashMap<>();
        Map<String, Long> errors = new LinkedHashMap<>();
        Map<String, double[]> latency = new LinkedHashMap<>();
        Map<String, double[]> baseline = new LinkedHashMap<>();
        long[] critical = new long[3];
        String where = (batch != null ? " AND batch = ?" : "") + " AND observed_at >= ?";
        Object[] arguments = batch != null ? new Object[] { rolloutId, batch, Timestamp.from(since) }
                : new Object[] { rolloutId, Timestamp.from(since) };
        jdbc.query("SELECT metric, variant, component, sample_value, sample_count FROM metric_sample WHERE rollout_id = ?" + where,
                rs -> {
                    critical[2]++;
                    String component = rs.getString(3) == null ? Totals.ALL : rs.getString(3);
                    Metric metric = Metric.valueOf(rs.getString(1));
                    boolean canary = "CANARY".equals(rs.getString(2));
                    double value = rs.getDouble(4);
                    long count = rs.getLong(5);
                    switch (metric) {
                        case REQUESTS -> { if (canary) { add(requests, component, (long) value); } }
                        case ERRORS -> { if (canary) { add(errors, component, (long) value); } }
                        case CRITICAL_REQUESTS -> { if (canary) { critical[0] += (long) value; } }
                        case CRITICAL_ERRORS -> { if (canary) { critical[1] += (long) value; } }
                        case LATENCY_MS -> {
                            Map<String, double[]> target = canary ? latency : baseline;
                            double[] l = target.computeIfAbsent(component, c -> new double[2]);
                            l[0] += value * count;
                            l[1] += count;
                            if (!component.equals(Totals.ALL)) {
                                double[] all = target.computeIfAbsent(Totals.ALL, c -> new double[2]);
                                all[0] += value * count;
                                all[1] += count;
                            }
                        }
                    }
                }, arguments);
        return new Totals(critical[2], requests, errors, critical[0], critical[1], latency, baseline);
    }

    private static void add(Map<String, Long> map, String component, long value) {
        map.merge(component, value, Long::sum);
        if (!component.equals(Totals.ALL)) {
            map.merge(Totals.ALL, value, Long::sum);
        }
    }
}
