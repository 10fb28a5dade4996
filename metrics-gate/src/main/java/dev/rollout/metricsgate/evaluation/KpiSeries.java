package dev.rollout.metricsgate.evaluation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rollout's KPIs over time, one series per KPI, component set and source: every value the gate measured, with its interval,
 * verdict and the limit it was held to, as the console charts them.
 */
public final class KpiSeries {

    /** One evaluation's measurement of the KPI. */
    public record Point(Instant at, Phase phase, Integer batch, Double value, Double low, Double high, Verdict verdict) {
    }

    /**
     * A KPI over time, from one source.
     *
     * @param threshold the rule as the latest measurement states it ({@code "<= 1%"})
     * @param limit     its number in the values' unit (0.01 for 1%; null where the rule has none)
     * @param atMost    whether values above the limit fail (false: values below it do)
     */
    public record Series(Kpi kpi, List<String> components, String source, String threshold, Double limit, Boolean atMost,
            List<Point> points) {
    }

    /** A measurement as stored, with when and where it was taken. */
    record Measured(Instant at, Phase phase, Integer batch, Measurement measurement) {
    }

    /** The number of a rule: a rate's {@code <= 1%} is 0.01, a latency's {@code < 500 ms} 500. */
    record Limit(double value, boolean atMost) {

        private static final Pattern RULE = Pattern.compile("^(<=|>=|<|>)\\s*\\+?(-?[0-9]+(?:\\.[0-9]+)?)\\s*(%)?");

        static Optional<Limit> of(String threshold) {
            Matcher m = threshold == null ? null : RULE.matcher(threshold.strip());
            if (m == null || !m.find()) {
                return Optional.empty();
            }
            BigDecimal number = new BigDecimal(m.group(2));
            return Optional.of(new Limit((m.group(3) == null ? number : number.movePointLeft(2)).doubleValue(),
                    m.group(1).startsWith("<")));
        }
    }

    private static final Pattern BATCH = Pattern.compile("\\bbatch \\d+\\b");

    private KpiSeries() {
    }

    /** A source named with its batch ("cluster-batcher batch 3 health") as the source of every batch. */
    static String source(String source) {
        return source == null ? "" : BATCH.matcher(source).replaceAll("batch");
    }

    /** The measurements, oldest first, grouped by KPI and components; those with no value are left out of the points. */
    static List<Series> of(List<Measured> measured) {
        Map<String, List<Measured>> byKey = new LinkedHashMap<>();
        for (Measured m : measured) {
            // one series per source as well (a batch's latency from its agents and from pushed samples are two
            // lines), each batch's health being one source over the batches
            byKey.computeIfAbsent(m.measurement().kpi() + "|" + String.join(",", m.measurement().components()) + "|"
                    + source(m.measurement().source()), k -> new ArrayList<>()).add(m);
        }
        List<Series> series = new ArrayList<>();
        for (List<Measured> group : byKey.values()) {
            List<Point> points = group.stream().filter(m -> m.measurement().value() != null)
                    .map(m -> new Point(m.at(), m.phase(), m.batch(), m.measurement().value(), m.measurement().confidenceLow(),
                            m.measurement().confidenceHigh(), m.measurement().verdict()))
                    .toList();
            if (points.isEmpty()) {
                continue;
            }
            Measurement latest = group.get(group.size() - 1).measurement();
            Optional<Limit> limit = Limit.of(latest.threshold());
            series.add(new Series(latest.kpi(), latest.components(), source(latest.source()), latest.threshold(),
                    limit.map(Limit::value).orElse(null), limit.map(Limit::atMost).orElse(null), points));
        }
        return series;
    }
}
