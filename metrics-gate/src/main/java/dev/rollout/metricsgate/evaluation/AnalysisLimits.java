package dev.rollout.metricsgate.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.metricsgate.policy.Threshold;

/**
 * The analysis limits over a KPI's history in the same phase and batch, as Argo Rollouts' analysis has them: pure, no
 * I/O, beside {@link RollUp} which decides from what they leave.
 */
final class AnalysisLimits {

    private AnalysisLimits() {
    }

    /** Set in a measurement's figures when it is an inconclusive measurement within the KPI's inconclusive limit. */
    static final String TOLERATED = "inconclusiveTolerated";

    /**
     * Argo-style limits over this KPI's history in the same phase and batch: a failure counts only once
     * failures exceed {@code failureLimit}; provider errors beyond {@code consecutiveErrorLimit} in a row
     * are called out (still INCONCLUSIVE: missing data never passes and never rolls back on its own); an
     * inconclusive measurement within {@code inconclusiveLimit} (counted over the phase's or batch's evaluations,
     * as Argo counts them over its analysis run) is marked tolerated: the gate will measure again, and a HOLD that
     * only such measurements cause does not conclude the analysis (see {@link RollUp}).
     */
    static List<Measurement> apply(List<Measurement> current, Map<Kpi, List<Verdict>> history,
            Map<Kpi, Integer> consecutiveErrors, KpiPolicy policy) {
        int failureLimit = (int) policy.get(Threshold.FAILURE_LIMIT);
        int errorLimit = (int) policy.get(Threshold.CONSECUTIVE_ERROR_LIMIT);
        int inconclusiveLimit = (int) policy.get(Threshold.INCONCLUSIVE_LIMIT);
        List<Measurement> out = new ArrayList<>();
        for (Measurement m : current) {
            if (m.verdict() == Verdict.FAIL && failureLimit > 0) {
                long failures = history.getOrDefault(m.kpi(), List.of()).stream().filter(v -> v == Verdict.FAIL).count() + 1;
                if (failures <= failureLimit) {
                    out.add(new Measurement(m.kpi(), m.trigger(), m.source(), m.query(), m.value(), m.sampleSize(),
                            m.threshold(), m.confidenceLow(), m.confidenceHigh(), Verdict.INCONCLUSIVE, m.reason()
                                    + " (failure " + failures + " of " + failureLimit + " tolerated)", m.components(),
                            m.figures()));
                    continue;
                }
            }
            if (Boolean.TRUE.equals(m.figures().get("providerError"))) {
                int inARow = consecutiveErrors.getOrDefault(m.kpi(), 0) + 1;
                if (inARow > errorLimit) {
                    out.add(new Measurement(m.kpi(), m.trigger(), m.source(), m.query(), m.value(), m.sampleSize(),
                            m.threshold(), m.confidenceLow(), m.confidenceHigh(), Verdict.INCONCLUSIVE, m.reason() + " ("
                                    + inARow + " provider errors in a row, above the limit of " + errorLimit + ")",
                            m.components(), m.figures()));
                    continue;
                }
            }
            out.add(m);
        }
        if (inconclusiveLimit == 0) {
            return out;
        }
        return out.stream().map(m -> {
            if (m.verdict() != Verdict.INCONCLUSIVE) {
                return m;
            }
            long inconclusive = history.getOrDefault(m.kpi(), List.of()).stream()
                    .filter(v -> v == Verdict.INCONCLUSIVE).count() + 1;
            if (inconclusive > inconclusiveLimit) {
                return m;
            }
            Map<String, Object> figures = new LinkedHashMap<>(m.figures());
            figures.put(TOLERATED, true);
            return new Measurement(m.kpi(), m.trigger(), m.source(), m.query(), m.value(), m.sampleSize(), m.threshold(),
                    m.confidenceLow(), m.confidenceHigh(), m.verdict(), m.reason() + " (inconclusive " + inconclusive
                            + " of " + inconclusiveLimit + " tolerated: measured again)", m.components(), figures);
        }).toList();
    }
}
