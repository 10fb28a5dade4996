package dev.rollout.metricsgate.evaluation;

import java.util.List;
import java.util.TreeSet;

/**
 * The gate's decision from its measurements: a trigger that failed rolls back (PARTIAL with the
 * components when every failing trigger names components, FULL otherwise); all PASS goes on; anything
 * else holds, with the reasons. A HOLD is conclusive (a rollout that waits on it pauses) unless every measurement
 * that holds it is an inconclusive one within its KPI's inconclusive limit: then the analysis goes on, as an Argo
 * analysis run keeps running below its {@code inconclusiveLimit}.
 */
public final class RollUp {

    public enum Scope { FULL, PARTIAL }

    public record Decision(GateVerdict verdict, Scope scope, List<String> components, List<String> reasons,
            boolean conclusive) {
    }

    private RollUp() {
    }

    public static Decision decide(List<Measurement> measurements) {
        List<Measurement> failedTriggers = measurements.stream()
                .filter(m -> m.trigger() && m.verdict() == Verdict.FAIL).toList();
        if (!failedTriggers.isEmpty()) {
            boolean confined = failedTriggers.stream().allMatch(m -> !m.components().isEmpty());
            TreeSet<String> components = new TreeSet<>();
            if (confined) {
                failedTriggers.forEach(m -> components.addAll(m.components()));
            }
            return new Decision(GateVerdict.ROLLBACK, confined ? Scope.PARTIAL : Scope.FULL, List.copyOf(components),
                    failedTriggers.stream().map(m -> m.kpi() + ": " + m.reason()).toList(), true);
        }
        if (!measurements.isEmpty() && measurements.stream().allMatch(m -> m.verdict() == Verdict.PASS)) {
            return new Decision(GateVerdict.PASS, null, List.of(),
                    measurements.stream().map(m -> m.kpi() + ": " + m.reason()).toList(), true);
        }
        List<Measurement> holding = measurements.stream().filter(m -> m.verdict() != Verdict.PASS).toList();
        List<String> reasons = holding.stream().map(m -> m.kpi() + " " + m.verdict() + ": " + m.reason()).toList();
        boolean measuredAgain = !holding.isEmpty() && holding.stream().allMatch(RollUp::tolerated);
        return new Decision(GateVerdict.HOLD, null, List.of(),
                reasons.isEmpty() ? List.of("nothing was measured") : reasons, !measuredAgain);
    }

    /** An inconclusive measurement within its KPI's inconclusive limit. */
    static boolean tolerated(Measurement m) {
        return m.verdict() == Verdict.INCONCLUSIVE && Boolean.TRUE.equals(m.figures().get(AnalysisLimits.TOLERATED));
    }
}
