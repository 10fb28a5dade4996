package dev.rollout.metricsgate.evaluation;

import java.util.List;
import java.util.Map;

/**
 * One KPI measured, with everything that decided it: where the figures came from and how (source,
 * query), the raw figures, the sample size, the threshold, the confidence interval where the KPI is a
 * rate or a mean, the verdict and its reason, and the components it concerns.
 */
public record Measurement(Kpi kpi, boolean trigger, String source, String query, Double value, Long sampleSize,
        String threshold, Double confidenceLow, Double confidenceHigh, Verdict verdict, String reason,
        List<String> components, Map<String, Object> figures) {

    public Measurement {
        components = components == null ? List.of() : List.copyOf(components);
        figures = figures == null ? Map.of() : figures;
    }

    /** A KPI whose source gave nothing usable: INCONCLUSIVE with the reason. */
    public static Measurement inconclusive(Kpi kpi, String source, String query, String threshold, String reason) {
        return new Measurement(kpi, kpi.trigger(), source, query, null, null, threshold, null, null,
                Verdict.INCONCLUSIVE, reason, List.of(), Map.of());
    }
}
